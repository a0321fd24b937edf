import { z } from 'zod';

/**
 * Stable codes of `error` messages. A client decides on these, never on the message text, so a code
 * is never renamed; new failures get new codes.
 */
export const ErrorCodeSchema = z.enum([
  /** The frame was not valid JSON, or was binary. */
  'BAD_JSON',
  /** JSON, but not a well-formed message of a known type (missing or extra fields, wrong types). */
  'BAD_MESSAGE',
  /** A `type` this protocol version does not know. */
  'UNKNOWN_TYPE',
  /** Too many messages: the per-connection token bucket is empty. */
  'RATE_LIMITED',
  /** `subscribe` asked to start after the last committed event. */
  'SEQ_OUT_OF_RANGE',
  /** The event history could not be read (the store is closed or failing). */
  'HISTORY_UNAVAILABLE',
  /** The session has ended: it takes no more commands. */
  'SESSION_ENDED',
  /** No running worker has that id. */
  'UNKNOWN_WORKER',
  /** No pending approval has that id (or its hash does not match, or it was already answered). */
  'UNKNOWN_APPROVAL',
  /** The session cannot do this (yet). */
  'UNSUPPORTED',
  /** The server failed; the socket stays open. */
  'INTERNAL',
  /** The session cannot do this in its state now (a review already runs, no agent is working, reviews are off). */
  'NOT_NOW',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** The codes a session may answer a control command with. */
export type ControlErrorCode = Extract<ErrorCode, 'SESSION_ENDED' | 'UNKNOWN_WORKER' | 'UNKNOWN_APPROVAL' | 'UNSUPPORTED' | 'INTERNAL' | 'NOT_NOW'>;
