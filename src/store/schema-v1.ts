/*
 * Schema version 1. JSON columns are TEXT holding JSON; times are epoch milliseconds as REAL so a
 * test clock with fractions cannot make a STRICT insert fail (and a failed event insert would stall
 * the writer). Every table but `events` references its session: events are the source of truth and
 * must be accepted even before (or without) a session row, so they carry no foreign key.
 */
export const SCHEMA_V1 = `
CREATE TABLE sessions (
  id TEXT PRIMARY KEY NOT NULL,
  task TEXT NOT NULL,
  target TEXT NOT NULL,
  workspace TEXT NOT NULL,
  branch TEXT NOT NULL,
  worktree TEXT,
  repo_root TEXT,
  plan TEXT NOT NULL,
  config TEXT NOT NULL,
  agents TEXT NOT NULL,
  state TEXT NOT NULL,
  started_at REAL NOT NULL,
  ended_at REAL,
  summary TEXT,
  tier_path TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_by_start ON sessions (started_at);

-- A rowid table rather than WITHOUT ROWID: bodies (tool output) can be far larger than the
-- 1/20 of a page where WITHOUT ROWID pays off. Reads by seq range use the primary-key index.
CREATE TABLE events (
  session_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  ts REAL NOT NULL,
  worker_id TEXT NOT NULL,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (session_id, seq)
) STRICT;

CREATE TABLE workers (
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  worker_id TEXT NOT NULL,
  phase_id TEXT,
  role TEXT,
  agent TEXT NOT NULL,
  state TEXT NOT NULL,
  vendor_session_id TEXT,
  cwd TEXT,
  started_at REAL NOT NULL,
  ended_at REAL,
  PRIMARY KEY (session_id, worker_id)
) STRICT;

-- A pgid can be reused by the kernel within one session, so groups get their own id.
CREATE TABLE process_groups (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  worker_id TEXT NOT NULL,
  pid INTEGER NOT NULL,
  pgid INTEGER NOT NULL,
  start_time INTEGER,
  spawned_at REAL NOT NULL,
  ended_at REAL
) STRICT;
CREATE INDEX process_groups_by_session ON process_groups (session_id, ended_at, pgid);

CREATE TABLE snapshots (
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  ts REAL NOT NULL,
  snapshot TEXT NOT NULL,
  PRIMARY KEY (session_id, seq)
) STRICT;

CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  body TEXT NOT NULL
) STRICT;
CREATE INDEX reviews_by_session ON reviews (session_id, seq);

CREATE TABLE decisions (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  body TEXT NOT NULL
) STRICT;
CREATE INDEX decisions_by_session ON decisions (session_id, seq);

CREATE TABLE recovery_actions (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  body TEXT NOT NULL
) STRICT;
CREATE INDEX recovery_actions_by_session ON recovery_actions (session_id, seq);
`;
