import { z } from 'zod';

/** An XState state value: a state name, or one value per child region. Declared here so the browser needs no xstate. */
export type StateValue = string | { [region: string]: StateValue };
/** A state value on the wire (recursive). */
export const StateValueSchema: z.ZodType<StateValue> = z.lazy(() => z.union([z.string(), z.record(z.string(), StateValueSchema)]));

/** An actor's lifecycle status, as XState reports it. */
export const ActorStatusSchema = z.enum(['active', 'done', 'error', 'stopped']);
export type ActorStatus = z.infer<typeof ActorStatusSchema>;

/*
 * Inspection records are live only: they are not in the durable log, so a client that resyncs or
 * reconnects misses those in between and redraws from the `actors` of the next `snapshot` instead.
 * Each carries `atSeq`, the last log seq given out when it was observed, to place it on the timeline.
 */

const Base = {
  /** The last log seq given out when this was observed. */
  atSeq: z.number().int().nonnegative(),
  /** Unique per run of the orchestrator (XState's system-wide session id of the actor). */
  actorId: z.string(),
};

const ActorCreated = z.object({
  kind: z.literal('actor'),
  ...Base,
  /** The actor's id under its parent: 'session', 'worker:<phase>', 'process', ... */
  id: z.string(),
  parentId: z.string().nullable(),
  /** The machine to draw it with (a key of `hello.machines`), null for callback and promise actors. */
  machine: z.string().nullable(),
});

const ActorStopped = z.object({
  kind: z.literal('actor.stopped'),
  ...Base,
  status: ActorStatusSchema.exclude(['active']),
});

const EventReceived = z.object({
  kind: z.literal('received'),
  ...Base,
  sourceId: z.string().nullable(),
  /** The event; only its `type` when the whole would be larger than the serializer's cap. */
  event: z.looseObject({ type: z.string() }),
  truncated: z.boolean().optional(),
});

const SnapshotChanged = z.object({
  kind: z.literal('snapshot'),
  ...Base,
  /** The type of the event that caused the change. */
  event: z.string(),
  status: ActorStatusSchema,
  value: StateValueSchema,
  /** Transitions taken since the previous snapshot, by state node id, to light edges in the chart. */
  transitions: z.array(z.object({ source: z.string(), targets: z.array(z.string()) })),
  /** The machine's context after the event, as JSON; long strings and lists are clipped to keep it small. */
  context: z.unknown().optional(),
  /** True when the context was clipped. */
  contextClipped: z.boolean().optional(),
});

/** One observation of the actor system, from XState's inspection API. */
export const InspectionRecordSchema = z.discriminatedUnion('kind', [ActorCreated, ActorStopped, EventReceived, SnapshotChanged]);
export type InspectionRecord = z.infer<typeof InspectionRecordSchema>;
