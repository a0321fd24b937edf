import { afterEach, describe, expect, it } from 'vitest';
import { checkIntegrity, openDatabase } from '../../src/store/database.js';
import { countEvents, getLastSeq, readEvents } from '../../src/store/event-reader.js';
import { INSERT_EVENT_SQL } from '../../src/store/event-writer.js';
import { removeTempDirs, runChild, tempDbPath, waitUntil, writeChildScript, type Child } from './support.js';

// Appends numbered events with the writer's own SQL and pragmas, in IMMEDIATE batches of 1-20,
// printing each commit only after it returned; stops by itself after 20 s if never killed.
const APPENDER = `
import Database from 'better-sqlite3';
const [path, sql] = process.argv.slice(2);
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
const insert = db.prepare(sql);
const write = db.transaction((rows) => {
  for (const row of rows) insert.run(...row);
});
let seq = 0;
const deadline = Date.now() + 20000;
while (Date.now() < deadline) {
  const rows = [];
  const size = 1 + Math.floor(Math.random() * 20);
  for (let i = 0; i < size; i += 1) {
    seq += 1;
    const entry = { type: 'agent.message', text: 'event ' + seq, sessionId: 'crash', workerId: 'w1', seq, ts: Date.now() };
    rows.push([entry.sessionId, entry.seq, entry.ts, entry.workerId, entry.type, JSON.stringify(entry)]);
  }
  write.immediate(rows);
  process.stdout.write('committed ' + seq + '\\n');
}
`;

const TRIALS = 3;
const children: Child[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await child.exited;
  }
  removeTempDirs();
});

function lastAcknowledged(lines: readonly string[]): number {
  const acked = lines.filter((line) => line.startsWith('committed ')).map((line) => Number(line.slice('committed '.length)));
  return acked.length === 0 ? 0 : Math.max(...acked);
}

describe('crash safety', () => {
  it('a writer SIGKILLed mid-stream leaves a sound database with every acknowledged event and no gap', async () => {
    const script = writeChildScript('appender.mjs', APPENDER);
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const path = tempDbPath();
      openDatabase(path).close();
      const child = runChild(script, [path, INSERT_EVENT_SQL]);
      children.push(child);
      await waitUntil(() => lastAcknowledged(child.lines) > 0 || child.process.exitCode !== null, 10_000, 'the first commit');
      expect(child.lines.join('\n')).toMatch(/^committed /);
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 350));
      child.process.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      const acked = lastAcknowledged(child.lines);

      const db = openDatabase(path);
      try {
        expect(checkIntegrity(db, 'full')).toEqual([]);
        const stored = getLastSeq(db, 'crash');
        // At most the one batch that committed as the process died is unacknowledged.
        expect(stored).toBeGreaterThanOrEqual(acked);
        expect(stored - acked).toBeLessThanOrEqual(20);
        expect(countEvents(db, 'crash')).toBe(stored);
        const seqs = readEvents(db, 'crash', { onCorrupt: (row) => expect.fail(`corrupt row ${row.key}`) }).map((e) => e.seq);
        expect(seqs).toEqual(Array.from({ length: stored }, (_, i) => i + 1));
      } finally {
        db.close();
      }
    }
  });
});
