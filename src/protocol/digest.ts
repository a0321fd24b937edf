import { z } from 'zod';
import { AgentNameSchema, FailureCodeSchema } from '../domain/index.js';
import { ActorStatusSchema, StateValueSchema } from './inspection.js';

/** What a session is about; fixed for its lifetime except `state`. */
export const SessionInfoSchema = z.object({
  sessionId: z.string(),
  task: z.string(),
  target: z.string(),
  branch: z.string(),
  agents: z.array(AgentNameSchema),
  startedAt: z.number(),
  /** The stored lifecycle state: starting, running, completed, failed, stopped, interrupted, ... */
  state: z.string(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

/** Tokens and cost, as domain/usage.ts sums them. */
export const UsageTotalsSchema = z.object({
  inputTokens: z.number().nonnegative(),
  outputTokens: z.number().nonnegative(),
  costUsd: z.number().nonnegative(),
});

/** One agent run (one attempt at a phase). */
export const WorkerDigestSchema = z.object({
  workerId: z.string(),
  phaseId: z.string(),
  agent: AgentNameSchema,
  /** The worker machine's state as a dotted path ('live.running', 'paused'), or its outcome once it ended. */
  state: z.string(),
  reassignedFrom: AgentNameSchema.optional(),
  outcome: z
    .object({
      status: z.enum(['done', 'failed', 'stopped']),
      summary: z.string(),
      failure: z.object({ code: FailureCodeSchema, message: z.string() }).optional(),
    })
    .optional(),
  usage: UsageTotalsSchema.optional(),
});
export type WorkerDigest = z.infer<typeof WorkerDigestSchema>;

/** A live actor, so a client can draw every chart without having seen its creation. */
export const ActorDigestSchema = z.object({
  actorId: z.string(),
  id: z.string(),
  parentId: z.string().nullable(),
  machine: z.string().nullable(),
  status: ActorStatusSchema,
  value: StateValueSchema.optional(),
});
export type ActorDigest = z.infer<typeof ActorDigestSchema>;

/** The session now: enough to draw the dashboard without replaying the log. */
export const SessionDigestSchema = z.object({
  status: ActorStatusSchema,
  value: StateValueSchema,
  paused: z.boolean(),
  tier: z.string().nullable(),
  tierPath: z.array(z.object({ from: z.string().nullable(), to: z.string(), reason: z.string() })),
  available: z.array(AgentNameSchema),
  /** Why each unavailable agent is unavailable. */
  unavailable: z.record(z.string(), z.string()),
  phases: z.array(z.object({ phaseId: z.string(), status: z.string(), workerIds: z.array(z.string()) })),
  workers: z.array(WorkerDigestSchema),
  actors: z.array(ActorDigestSchema),
  usage: UsageTotalsSchema,
  failureReason: z.string().optional(),
});
export type SessionDigest = z.infer<typeof SessionDigestSchema>;
