import { z } from 'zod';
import { EventStampSchema, type LogEntry } from '../domain/index.js';
import { SessionDigestSchema, SessionInfoSchema } from './digest.js';
import { ErrorCodeSchema } from './error-codes.js';
import { InspectionRecordSchema } from './inspection.js';

/** The wire protocol's version; a client that does not know it should say so rather than guess. */
export const PROTOCOL_VERSION = 1;

/**
 * A log entry as sent: the stamp is checked, the body is kept as it is. The server only sends what
 * the store committed, and a client checks the bodies it renders with the domain's own schemas.
 */
export const LogEntrySchema = EventStampSchema.extend({ type: z.string() }).loose() as unknown as z.ZodType<LogEntry>;

/** One delta of a batch: a committed log entry, or an inspection record. */
export const BatchItemSchema = z.union([z.object({ kind: z.literal('log'), entry: LogEntrySchema }), InspectionRecordSchema]);
export type BatchItem = z.infer<typeof BatchItemSchema>;

const Seq = z.number().int().nonnegative();

/** First message on every connection. */
const Hello = z.object({
  type: z.literal('hello'),
  protocol: z.literal(PROTOCOL_VERSION),
  session: SessionInfoSchema,
  /** Machine definitions (machine.toJSON()) keyed by logic name: 'session', 'worker'. */
  machines: z.record(z.string(), z.unknown()),
  /** The last committed seq when the client connected. */
  lastSeq: Seq,
  /** What the server enforces, so a well-behaved client can stay under it. */
  limits: z.object({ maxMessageBytes: z.number(), messagesPerSecond: z.number(), messageBurst: z.number() }),
});

/** The session's current state; sent after `subscribe` and again when a lagging client is live again. */
const Snapshot = z.object({ type: z.literal('snapshot'), lastSeq: Seq, session: SessionDigestSchema });

/**
 * Every committed event with fromSeq <= seq <= toSeq, in order, plus live inspection records.
 * Consecutive batches are contiguous (fromSeq = previous toSeq + 1); fromSeq > toSeq means no events.
 */
const Batch = z.object({ type: z.literal('batch'), fromSeq: Seq, toSeq: Seq, items: z.array(BatchItemSchema) });

/** The client message with this id was accepted. */
const Ack = z.object({ type: z.literal('ack'), id: z.string() });

/** A message was refused; the socket stays open. `id` is there when the message had a readable one. */
const ErrorMessage = z.object({ type: z.literal('error'), id: z.string().optional(), code: ErrorCodeSchema, message: z.string() });

/** Every message the server sends. */
export const ServerMessageSchema = z.discriminatedUnion('type', [Hello, Snapshot, Batch, Ack, ErrorMessage]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

// Parses a server frame in the browser; null when it is not a message of this protocol version.
export function parseServerMessage(text: string): ServerMessage | null {
  try {
    const parsed = ServerMessageSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
