import type { LogEntry } from '../../../src/domain/index.js';
import type { InspectionRecord, ServerMessageOf } from '../../../src/protocol/index.js';

/** Where the client stands in a session's log: the session, and the last seq it holds with no gap before it. */
export interface SyncCursor {
  sessionId: string | null;
  lastSeq: number;
}

/** What to do on `hello`: whether to forget what is held, and where to subscribe from. */
export interface SubscribePlan {
  reset: boolean;
  fromSeq: number;
}

// Decides the subscription after a (re)connect. The same session resumes right after the last seq
// held, so the server sends exactly what was missed; another session (or a log that is now shorter
// than what is held, which only a different session can be) starts over from the first event.
export function planSubscribe(cursor: SyncCursor, hello: Pick<ServerMessageOf<'hello'>, 'session' | 'lastSeq'>): SubscribePlan {
  const reset = cursor.sessionId !== hello.session.sessionId || hello.lastSeq < cursor.lastSeq;
  return { reset, fromSeq: (reset ? 0 : cursor.lastSeq) + 1 };
}

/** One item of a batch, in the order the server sent it, once it is known to be new. */
export type BatchStep = { kind: 'log'; entry: LogEntry } | { kind: 'inspection'; record: InspectionRecord };

/** A batch sorted out against the cursor. */
export interface BatchPlan {
  /** Items to apply, in order: log entries each once and without a gap, and every inspection record. */
  steps: BatchStep[];
  /** The cursor's lastSeq after applying the steps. */
  lastSeq: number;
  /** The batch starts after a seq never received: the client must resubscribe from lastSeq + 1. */
  gap: boolean;
}

// Sorts a batch into what is new. Entries already held (a resent page, an overlap at the seam of a
// resubscription) are skipped; a batch that starts beyond the next expected seq is a gap, and none
// of its entries are taken, so the log never has a hole. Inspection records are live, not
// sequenced, and always apply.
export function planBatch(lastSeq: number, batch: ServerMessageOf<'batch'>): BatchPlan {
  const hasEntries = batch.fromSeq <= batch.toSeq;
  const gap = hasEntries && batch.fromSeq > lastSeq + 1;
  const steps: BatchStep[] = [];
  let next = lastSeq;
  for (const item of batch.items) {
    if (item.kind !== 'log') {
      steps.push({ kind: 'inspection', record: item });
      continue;
    }
    if (gap || item.entry.seq <= next) continue;
    steps.push({ kind: 'log', entry: item.entry });
    next = item.entry.seq;
  }
  // The batch covers its whole range, so the cursor ends at toSeq even if the last items were repeats.
  if (!gap && hasEntries) next = Math.max(next, batch.toSeq);
  return { steps, lastSeq: next, gap };
}
