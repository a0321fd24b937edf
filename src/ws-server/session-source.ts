import type { LogEntry, SessionSummary } from '../domain/index.js';
import type { ControlErrorCode, ControlRequest, InspectionRecord, ReplayTimeline, SessionDigest, SessionInfo, SessionListing } from '../protocol/index.js';

/** How a control command went: accepted (the session will act on it) or refused with a stable code. */
export type ControlResult = { ok: true } | { ok: false; code: ControlErrorCode };

/** The notes the read API lists, each an opaque JSON body tied to the seq it was made at. */
export type NoteKind = 'reviews' | 'decisions' | 'recovery';

/**
 * Everything the dashboard server needs from one session. The server never reaches into the
 * runtime, the machines or the store itself, so it can be tested against a fake and can serve a
 * replayed session the same way as a live one.
 */
export interface SessionSource {
  readonly sessionId: string;
  /** Committed entries, in seq order, each once; returns the unsubscribe function. */
  subscribe(listener: (entry: LogEntry) => void): () => void;
  /** The highest committed seq (0 when none); the live feed continues right after it. */
  lastCommittedSeq(): number;
  /** Committed entries with fromSeq <= seq <= toSeq, in order (an index range scan). Throws when the store is unavailable. */
  readEvents(range: { fromSeq: number; toSeq: number; limit?: number }): LogEntry[];
  info(): SessionInfo;
  digest(): SessionDigest;
  /** Machine definitions (machine.toJSON()) keyed by logic name: 'session', 'worker'. */
  machines(): Record<string, unknown>;
  /** Inspection records while subscribed; a source may attach its inspector only while someone listens. */
  subscribeInspection(listener: (record: InspectionRecord) => void): () => void;
  /** Hands a person's command to the session; never throws for a refused command. */
  control(request: ControlRequest): ControlResult;
  notes(kind: NoteKind): unknown[];
  /** The end-of-session summary, null while the session runs. */
  summary(): SessionSummary | null;
}

/** A replay, or why there is none: no such session, too long to replay in a page, or the store failing. */
export type ReplayResult = { ok: true; timeline: ReplayTimeline } | { ok: false; code: 'NOT_FOUND' | 'TOO_LARGE' | 'HISTORY_UNAVAILABLE'; message: string };

/** The workspace's sessions, past and present, for the dashboard's list and its replays. */
export interface SessionArchive {
  /** Newest first. */
  list(): SessionListing[];
  /** Re-drives one session's machines from its log; never throws. */
  replay(sessionId: string): Promise<ReplayResult>;
}
