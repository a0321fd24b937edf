import type { Statement } from 'better-sqlite3';
import type { LogEntry } from '../domain/index.js';
import type { Db } from './database.js';
import { isRecord, parseJson, warnCorruptRow, type CorruptRowHandler } from './rows.js';

/** Which events to read; both ends inclusive, so a client that saw seq n asks for fromSeq n + 1. */
export interface EventRange {
  /** First seq to return (inclusive). */
  fromSeq?: number;
  /** Last seq to return (inclusive). */
  toSeq?: number;
  /** Most rows to read; corrupt rows among them are skipped, so fewer entries may come back. */
  limit?: number;
  onCorrupt?: CorruptRowHandler;
}

interface EventRow {
  session_id: string;
  seq: number;
  body: string;
}

interface ReaderStatements {
  range: Statement<[string, number, number, number], EventRow>;
  lastSeq: Statement<[string], { last: number | null }>;
  count: Statement<[string], { n: number }>;
}

/** Rows per query when iterating; the connection is free again between pages. */
const PAGE_SIZE = 1000;

const statements = new WeakMap<Db, ReaderStatements>();

// The session's events in seq order, read with one index range scan.
export function readEvents(db: Db, sessionId: string, range: EventRange = {}): LogEntry[] {
  const { from, to } = bounds(range);
  const limit = range.limit ?? -1;
  const rows = prepared(db).range.all(sessionId, from, to, limit);
  return toEntries(rows, range.onCorrupt ?? warnCorruptRow);
}

// Yields the session's events in seq order, a page at a time. Unlike a statement iterator it holds
// no query open between yields, so the caller may await, and the same connection may keep writing.
export function* iterateEvents(db: Db, sessionId: string, range: EventRange = {}): Generator<LogEntry, void, undefined> {
  const onCorrupt = range.onCorrupt ?? warnCorruptRow;
  let { from } = bounds(range);
  const { to } = bounds(range);
  let remaining = range.limit ?? Infinity;
  while (remaining > 0 && from <= to) {
    const rows = prepared(db).range.all(sessionId, from, to, Math.min(PAGE_SIZE, remaining));
    if (rows.length === 0) return;
    remaining -= rows.length;
    from = rows[rows.length - 1]!.seq + 1;
    yield* toEntries(rows, onCorrupt);
  }
}

// The highest stored seq of the session, 0 when it has none.
export function getLastSeq(db: Db, sessionId: string): number {
  return prepared(db).lastSeq.get(sessionId)?.last ?? 0;
}

// How many events the session has stored.
export function countEvents(db: Db, sessionId: string): number {
  return prepared(db).count.get(sessionId)?.n ?? 0;
}

function prepared(db: Db): ReaderStatements {
  let found = statements.get(db);
  if (!found) {
    found = {
      range: db.prepare('SELECT session_id, seq, body FROM events WHERE session_id = ? AND seq >= ? AND seq <= ? ORDER BY seq LIMIT ?'),
      lastSeq: db.prepare('SELECT max(seq) AS last FROM events WHERE session_id = ?'),
      count: db.prepare('SELECT count(*) AS n FROM events WHERE session_id = ?'),
    };
    statements.set(db, found);
  }
  return found;
}

function bounds(range: EventRange): { from: number; to: number } {
  return { from: range.fromSeq ?? 0, to: range.toSeq ?? Number.MAX_SAFE_INTEGER };
}

function toEntries(rows: readonly EventRow[], onCorrupt: CorruptRowHandler): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const row of rows) {
    const problem = checkRow(row);
    if (typeof problem === 'string') onCorrupt({ table: 'events', key: `${row.session_id}#${row.seq}`, reason: problem });
    else entries.push(problem.entry);
  }
  return entries;
}

// A cheap shape check: the body must be the stamped entry of this very row.
function checkRow(row: EventRow): string | { entry: LogEntry } {
  const parsed = parseJson(row.body);
  if (!parsed.ok) return parsed.reason;
  const body = parsed.value;
  if (!isRecord(body)) return 'body is not an object';
  if (typeof body.type !== 'string') return 'body has no type';
  if (body.seq !== row.seq || body.sessionId !== row.session_id) return 'body stamp does not match its key';
  if (typeof body.workerId !== 'string' || typeof body.ts !== 'number') return 'body has no worker or time stamp';
  return { entry: body as unknown as LogEntry };
}
