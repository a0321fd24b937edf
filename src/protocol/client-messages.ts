import { z } from 'zod';
import type { ControlCommand } from '../domain/index.js';
import type { ErrorCode } from './error-codes.js';

/** A client-chosen id, echoed by the `ack` or `error` that answers the message. */
const Id = z.string().min(1).max(64);
const WorkerId = z.string().min(1).max(200);

const Subscribe = z.strictObject({
  type: z.literal('subscribe'),
  id: Id,
  /** First seq wanted (1 = the whole history); absent = only what is committed from now on. */
  fromSeq: z.number().int().min(1).optional(),
});

const sessionCommand = <T extends string>(type: T) => z.strictObject({ type: z.literal(type), id: Id });
const workerCommand = <T extends string>(type: T) => z.strictObject({ type: z.literal(type), id: Id, workerId: WorkerId });

const ReviewRequest = z.strictObject({
  type: z.literal('review.request'),
  id: Id,
  /** The worker whose work to review; absent = the current phase. */
  workerId: WorkerId.optional(),
  note: z.string().max(2000).optional(),
});

const ApprovalAnswer = z.strictObject({
  type: z.literal('approval.answer'),
  id: Id,
  /** The pending approval request this answers. */
  approvalId: z.string().min(1).max(200),
  approve: z.boolean(),
  /** SHA-256 (hex) of what was shown to the person, so an answer cannot approve something else. */
  hash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

const CONTROL_SCHEMAS = [
  sessionCommand('session.pause'),
  sessionCommand('session.resume'),
  sessionCommand('session.stop'),
  workerCommand('worker.pause'),
  workerCommand('worker.resume'),
  workerCommand('worker.stop'),
  ReviewRequest,
  ApprovalAnswer,
] as const;

/** Every message a client may send. */
export const ClientMessageSchema = z.discriminatedUnion('type', [Subscribe, ...CONTROL_SCHEMAS]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/** A person's command as the session receives it: a control message without its id. */
export type ControlRequest = Exclude<ClientMessage, { type: 'subscribe' }> extends infer M
  ? M extends { id: string }
    ? Omit<M, 'id'>
    : never
  : never;

/** The `type`s this protocol version knows, to tell UNKNOWN_TYPE from BAD_MESSAGE. */
export const CLIENT_MESSAGE_TYPES: ReadonlySet<string> = new Set(ClientMessageSchema.options.map((option) => option.shape.type.value));

/** A parsed client frame, or why it was refused (with the id, when one could be read). */
export type ParsedClientMessage = { ok: true; message: ClientMessage } | { ok: false; code: ErrorCode; id?: string };

// Parses one text frame from a client without throwing: unknown or malformed input is data.
export function parseClientMessage(text: string): ParsedClientMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, code: 'BAD_JSON' };
  }
  const raw = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const id = typeof raw.id === 'string' && Id.safeParse(raw.id).success ? raw.id : undefined;
  if (typeof raw.type !== 'string') return { ok: false, code: 'BAD_MESSAGE', id };
  if (!CLIENT_MESSAGE_TYPES.has(raw.type)) return { ok: false, code: 'UNKNOWN_TYPE', id };
  const parsed = ClientMessageSchema.safeParse(json);
  return parsed.success ? { ok: true, message: parsed.data } : { ok: false, code: 'BAD_MESSAGE', id };
}

// The domain command a control message asks for.
export function toControlCommand(request: ControlRequest): ControlCommand {
  switch (request.type) {
    case 'session.pause':
    case 'session.resume':
    case 'session.stop':
      return { type: request.type };
    case 'worker.pause':
    case 'worker.resume':
    case 'worker.stop':
      return { type: 'worker.control', workerId: request.workerId, command: request.type };
    case 'review.request':
      return { type: 'review.request', ...(request.note ? { note: request.note } : {}) };
    case 'approval.answer':
      return { type: 'approval.answer', approvalId: request.approvalId, approve: request.approve };
  }
}
