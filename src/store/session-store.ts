import type { Db } from './database.js';
import { createNotesTable } from './notes-table.js';
import { createProcessGroupsTable } from './process-groups-table.js';
import { warnCorruptRow, type CorruptRowHandler } from './rows.js';
import { createSessionsTable } from './sessions-table.js';
import { createSnapshotsTable } from './snapshots-table.js';
import { createWorkersTable } from './workers-table.js';

// The record types, re-exported so callers need only this module.
export type { NoteRecord } from './notes-table.js';
export type { NewProcessGroup, ProcessGroupRecord } from './process-groups-table.js';
export type { NewSession, SessionChanges, SessionRecord } from './sessions-table.js';
export type { SnapshotRecord } from './snapshots-table.js';
export type { WorkerRecord, WorkerUpsert } from './workers-table.js';

/** Options of createSessionStore. */
export interface SessionStoreOptions {
  /** Told about each row that could not be read back and was skipped (default: a process warning). */
  onCorrupt?: CorruptRowHandler;
}

/** Everything about sessions except their events (see event-writer and event-reader). */
export type SessionStore = ReturnType<typeof createSessionStore>;

// The session store: prepared statements over one connection. Writes throw to the caller (they are
// rare and the caller must know); reads skip and report corrupt rows instead of throwing.
export function createSessionStore(db: Db, options: SessionStoreOptions = {}) {
  const onCorrupt = options.onCorrupt ?? warnCorruptRow;
  const reviews = createNotesTable(db, 'reviews', onCorrupt);
  const decisions = createNotesTable(db, 'decisions', onCorrupt);
  const recoveryActions = createNotesTable(db, 'recovery_actions', onCorrupt);
  return {
    ...createSessionsTable(db, onCorrupt),
    ...createWorkersTable(db, onCorrupt),
    ...createProcessGroupsTable(db, onCorrupt),
    ...createSnapshotsTable(db, onCorrupt),
    recordReview: reviews.record,
    listReviews: reviews.list,
    recordDecision: decisions.record,
    listDecisions: decisions.list,
    recordRecoveryAction: recoveryActions.record,
    listRecoveryActions: recoveryActions.list,
    /** Runs `fn` in one IMMEDIATE transaction (several writes that must land together); `fn` must be synchronous. */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },
  };
}
