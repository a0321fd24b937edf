import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/database.js';
import { countEvents, getLastSeq, iterateEvents, readEvents } from '../../src/store/event-reader.js';
import { INSERT_EVENT_SQL } from '../../src/store/event-writer.js';
import type { CorruptRow } from '../../src/store/rows.js';
import { message, removeTempDirs, tempDbPath } from './support.js';

const open: Db[] = [];

afterEach(() => {
  for (const db of open.splice(0)) db.close();
  removeTempDirs();
});

// Stores events directly with the writer's statement: the reader is tested on its own.
function seed(count: number, sessionId = 's1'): Db {
  const db = openDatabase(tempDbPath());
  open.push(db);
  insert(db, sessionId, 1, count);
  return db;
}

function insert(db: Db, sessionId: string, from: number, to: number): void {
  const statement = db.prepare(INSERT_EVENT_SQL);
  db.transaction(() => {
    for (let seq = from; seq <= to; seq += 1) {
      const entry = message(sessionId, seq);
      statement.run(sessionId, seq, entry.ts, entry.workerId, entry.type, JSON.stringify(entry));
    }
  }).immediate();
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('event reader', () => {
  it('reads a seq range (both ends inclusive) of one session, in order, with a limit', () => {
    const db = seed(50);
    insert(db, 's2', 1, 5);
    expect(readEvents(db, 's1').map((e) => e.seq)).toEqual(range(1, 50));
    expect(readEvents(db, 's1', { fromSeq: 10, toSeq: 14 }).map((e) => e.seq)).toEqual(range(10, 14));
    expect(readEvents(db, 's1', { fromSeq: 45 }).map((e) => e.seq)).toEqual(range(45, 50));
    expect(readEvents(db, 's1', { fromSeq: 20, limit: 3 }).map((e) => e.seq)).toEqual([20, 21, 22]);
    expect(readEvents(db, 's1', { fromSeq: 60 })).toEqual([]);
    expect(readEvents(db, 's1', { fromSeq: 7, toSeq: 7 })).toEqual([message('s1', 7)]);
    expect(readEvents(db, 's2').map((e) => e.sessionId)).toEqual(Array(5).fill('s2'));
  });

  it('reads ranges with an index range scan, never a table scan', () => {
    const db = seed(1);
    const plan = db
      .prepare<[], { detail: string }>("EXPLAIN QUERY PLAN SELECT session_id, seq, body FROM events WHERE session_id = 's1' AND seq >= 3 AND seq <= 9 ORDER BY seq LIMIT 5")
      .all()
      .map((row) => row.detail)
      .join('\n');
    expect(plan).toMatch(/SEARCH events USING INDEX sqlite_autoindex_events_1 \(session_id=\? AND seq>\? AND seq<\?\)/);
    expect(plan).not.toMatch(/SCAN|TEMP B-TREE/);
  });

  it('knows the last seq and the count, 0 for an unknown session', () => {
    const db = seed(42);
    expect(getLastSeq(db, 's1')).toBe(42);
    expect(countEvents(db, 's1')).toBe(42);
    expect(getLastSeq(db, 'nobody')).toBe(0);
    expect(countEvents(db, 'nobody')).toBe(0);
  });

  it('iterates a big session page by page, leaving the connection free to write between pages', () => {
    const db = seed(2500);
    const seqs: number[] = [];
    for (const entry of iterateEvents(db, 's1', { fromSeq: 2 })) {
      seqs.push(entry.seq);
      // A statement iterator would make this throw ("connection is busy").
      if (entry.seq === 1500) insert(db, 's1', 2501, 2510);
    }
    expect(seqs).toEqual(range(2, 2510));
    expect([...iterateEvents(db, 's1', { fromSeq: 990, toSeq: 1010, limit: 15 })].map((e) => e.seq)).toEqual(range(990, 1004));
  });

  it('skips and reports corrupt rows instead of throwing', () => {
    const db = seed(5);
    db.prepare("UPDATE events SET body = '{not json' WHERE seq = 2").run();
    db.prepare('UPDATE events SET body = ? WHERE seq = 3').run(JSON.stringify(message('s1', 99)));
    db.prepare("UPDATE events SET body = '[1, 2]' WHERE seq = 4").run();
    const corrupt: CorruptRow[] = [];
    const entries = readEvents(db, 's1', { onCorrupt: (row) => corrupt.push(row) });
    expect(entries.map((e) => e.seq)).toEqual([1, 5]);
    expect(corrupt.map((row) => row.key)).toEqual(['s1#2', 's1#3', 's1#4']);
    expect(corrupt[0]?.reason).toMatch(/invalid JSON/);
    expect(corrupt[1]?.reason).toMatch(/does not match/);
    expect([...iterateEvents(db, 's1', { onCorrupt: () => undefined })].map((e) => e.seq)).toEqual([1, 5]);
  });
});
