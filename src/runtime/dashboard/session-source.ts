import type { AnyActorRef } from 'xstate';
import type { ControlCommand, LogEntry, UsageTotals } from '../../domain/index.js';
import { answerControl } from './control.js';
import type { Db } from '../../store/database.js';
import type { EventLog } from '../../store/event-log.js';
import { getLastSeq, readEvents } from '../../store/event-reader.js';
import type { SessionRecord, SessionStore } from '../../store/session-store.js';
import { createInspectionFeed } from './inspection-feed.js';
import { machineDefinitions } from './machine-definitions.js';
import { deriveSessionDigest } from './session-digest.js';
import { toSessionInfo } from './session-info.js';
import type { NoteKind, SessionSource } from '../../ws-server/index.js';

/** The pieces of a running session the dashboard reads, as launchSession has them. */
export interface SessionParts {
  record: SessionRecord;
  /** The session's log; its listeners hear entries only once they are committed. */
  log: EventLog;
  db: Db;
  store: SessionStore;
  /** The root session actor (id and systemId 'session'). */
  actor: AnyActorRef;
  usageByWorker(): Readonly<Record<string, UsageTotals>>;
  /** The running session's command path: records control.received, then sends the command to the actor. */
  control(command: ControlCommand): void;
}

// Adapts a running session to what the dashboard server needs. Create it before the session starts
// (or at least in one tick with the server), so that no commit falls between its first read and its subscription.
export function createSessionSource(parts: SessionParts): SessionSource {
  const { record, log, db, store, actor } = parts;
  const sessionId = record.id;
  // Tracked from the log, so the read needs no query and still works once the database is closed.
  let committed = getLastSeq(db, sessionId);
  log.subscribe((entry: LogEntry) => (committed = Math.max(committed, entry.seq)));
  const stored = <T>(read: () => T, fallback: T): T => {
    try {
      return db.open ? read() : fallback;
    } catch {
      return fallback;
    }
  };
  const notes: Record<NoteKind, () => unknown[]> = {
    reviews: () => store.listReviews(sessionId),
    decisions: () => store.listDecisions(sessionId),
    recovery: () => store.listRecoveryActions(sessionId),
  };

  return {
    sessionId,
    subscribe: (listener) => log.subscribe(listener),
    lastCommittedSeq: () => committed,
    readEvents(range) {
      if (!db.open) throw new Error('the session database is closed');
      return readEvents(db, sessionId, range);
    },
    info: () => toSessionInfo(stored(() => store.getSession(sessionId), undefined) ?? record),
    digest: () => deriveSessionDigest(actor, parts.usageByWorker()),
    machines: machineDefinitions,
    subscribeInspection: createInspectionFeed(actor.system, () => log.lastSeq),
    control: (request) => answerControl(actor, request, parts.control),
    notes: (kind) => stored(notes[kind], []),
    summary: () => stored(() => store.getSession(sessionId)?.summary ?? null, null),
  };
}
