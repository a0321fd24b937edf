import { z } from 'zod';
import { SessionInfoSchema } from './digest.js';
import { BatchItemSchema, PROTOCOL_VERSION } from './server-messages.js';

/** One of the workspace's sessions, as the dashboard lists them (GET /api/sessions). */
export const SessionListingSchema = SessionInfoSchema.extend({
  endedAt: z.number().nullable(),
  /** The tiers the session went through, in order. */
  tiers: z.array(z.string()),
  costUsd: z.number().nonnegative(),
  /** The session this server runs live. */
  live: z.boolean(),
});
export type SessionListing = z.infer<typeof SessionListingSchema>;

/** A note of the read API (a review, a decision, a recovery action), tied to the seq it was made at. */
const NoteSchema = z.object({ id: z.number(), seq: z.number(), body: z.unknown() });

/**
 * A past session re-driven from its durable log (GET /api/sessions/<id>/replay): every recorded
 * event with, after each, the inspection records the machines produced when the replay fed it to
 * them (`atSeq` = that event's seq). A client rebuilds the dashboard at any point by applying the
 * items up to it, exactly as it applies a live batch.
 */
export const ReplayTimelineSchema = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  session: SessionInfoSchema,
  machines: z.record(z.string(), z.unknown()),
  lastSeq: z.number().int().nonnegative(),
  items: z.array(BatchItemSchema),
  notes: z.object({ decisions: z.array(NoteSchema), reviews: z.array(NoteSchema), recovery: z.array(NoteSchema) }),
  /** Whether the re-driven machines reached the end state the live session recorded (null: it recorded none). */
  matchesRecording: z.boolean().nullable(),
});
export type ReplayTimeline = z.infer<typeof ReplayTimelineSchema>;

// Parses a replay answer in the browser; null when it is not one of this protocol version.
export function parseReplayTimeline(json: unknown): ReplayTimeline | null {
  const parsed = ReplayTimelineSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
