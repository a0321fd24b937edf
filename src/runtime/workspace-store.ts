import { join } from 'node:path';
import { openDatabase, type Db } from '../store/database.js';
import { createSessionStore, type SessionStore } from '../store/session-store.js';

/** The workspace's database: sessions, their events, workers, process groups and snapshots. */
export interface WorkspaceStore {
  db: Db;
  store: SessionStore;
  path: string;
  close(): void;
}

export const DATABASE_FILE = 'orchestrate.db';

// Opens (creating and migrating) the workspace database, or the one --db names.
export function openWorkspaceStore(workspace: string, dbPath?: string): WorkspaceStore {
  const path = dbPath ?? join(workspace, DATABASE_FILE);
  // A short busy timeout: better-sqlite3 blocks the event loop while it waits, and the writer retries anyway.
  const db = openDatabase(path, { busyTimeoutMs: 1000 });
  return { db, store: createSessionStore(db), path, close: () => db.close() };
}
