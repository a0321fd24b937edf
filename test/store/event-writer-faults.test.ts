import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/domain/index.js';
import { checkIntegrity, openDatabase, type Db } from '../../src/store/database.js';
import { readEvents } from '../../src/store/event-reader.js';
import { createEventWriter, type WriterErrorKind } from '../../src/store/event-writer.js';
import { message, removeTempDirs, runChild, tempDbPath, waitUntil, writeChildScript, type Child } from './support.js';

// Holds the write lock from another process: until told on stdin ('stdin'), or for a time ('timer').
const LOCKER = `
import Database from 'better-sqlite3';
const [path, mode, holdMs] = process.argv.slice(2);
const db = new Database(path);
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\\n');
const release = () => {
  db.exec('COMMIT');
  db.close();
  process.stdout.write('released\\n');
  process.exit(0);
};
if (mode === 'timer') setTimeout(release, Number(holdMs));
else process.stdin.once('data', release);
setTimeout(() => process.exit(2), 20000);
`;

const open: Db[] = [];
const children: Child[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await child.exited;
  }
  for (const db of open.splice(0)) db.close();
  removeTempDirs();
});

function record() {
  const batches: LogEntry[][] = [];
  const errors: { error: unknown; kind: WriterErrorKind }[] = [];
  const paused: string[] = [];
  let resumed = 0;
  return {
    batches,
    errors,
    paused,
    get resumed() {
      return resumed;
    },
    options: {
      onCommitted: (entries: readonly LogEntry[]) => void batches.push([...entries]),
      onError: (error: unknown, kind: WriterErrorKind) => void errors.push({ error, kind }),
      onIntakePaused: (reason: string) => void paused.push(reason),
      onIntakeResumed: () => void (resumed += 1),
    },
  };
}

async function startLocker(path: string, mode: 'stdin' | 'timer', holdMs = 0): Promise<Child> {
  const child = runChild(writeChildScript('locker.mjs', LOCKER), [path, mode, String(holdMs)]);
  children.push(child);
  await waitUntil(() => child.lines.includes('locked') || child.process.exitCode !== null, 10_000, 'the locker');
  expect(child.lines).toContain('locked');
  return child;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms))]);
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('event writer faults', () => {
  it('waits out a lock held by another process past its busy timeout: retries, loses nothing, keeps order', async () => {
    const path = tempDbPath();
    const db = openDatabase(path, { busyTimeoutMs: 20 });
    open.push(db);
    const seen = record();
    const writer = createEventWriter(db, { ...seen.options, retryMs: 10, maxRetryMs: 40 });
    const locker = await startLocker(path, 'stdin');
    for (const seq of range(1, 100)) writer.append(message('s1', seq));
    await waitUntil(() => seen.errors.length >= 3, 10_000, 'three busy retries');
    expect(seen.batches).toEqual([]);
    expect(writer.pending).toBe(100);
    locker.process.stdin.write('release\n');
    await withTimeout(writer.flush(), 10_000, 'flush after release');
    expect(locker.lines).toContain('released');
    expect(seen.errors.every((e) => e.kind === 'busy')).toBe(true);
    expect(seen.paused).toEqual([]);
    expect(seen.batches.flat().map((e) => e.seq)).toEqual(range(1, 100));
    expect(readEvents(db, 's1').map((e) => e.seq)).toEqual(range(1, 100));
  });

  it('within the default busy timeout a ~300 ms lock costs no error at all', async () => {
    const path = tempDbPath();
    const db = openDatabase(path);
    open.push(db);
    const seen = record();
    const writer = createEventWriter(db, seen.options);
    await startLocker(path, 'timer', 300);
    for (const seq of range(1, 50)) writer.append(message('s1', seq));
    await withTimeout(writer.flush(), 10_000, 'flush');
    expect(seen.errors).toEqual([]);
    expect(readEvents(db, 's1').map((e) => e.seq)).toEqual(range(1, 50));
  });

  it('on a full disk pauses intake once, keeps everything, and resumes in order when space returns', async () => {
    const db = openDatabase(tempDbPath());
    open.push(db);
    const seen = record();
    const writer = createEventWriter(db, { ...seen.options, storageRetryMs: 10 });
    const big = (seq: number) => message('s1', seq, `${seq} `.padEnd(2000, 'x'));

    writer.append(message('s1', 1));
    await writer.flush();
    const pages = Number(db.pragma('page_count', { simple: true }));
    db.pragma(`max_page_count = ${pages + 2}`);

    for (const seq of range(2, 200)) writer.append(big(seq));
    await waitUntil(() => writer.paused, 10_000, 'the writer to pause');
    // Let it fail a few more retries: the pause is reported once per outage, not per attempt.
    const attempts = 5;
    for (let i = 0; i < attempts; i += 1) await new Promise((resolve) => setTimeout(resolve, 15));
    for (const seq of range(201, 250)) writer.append(big(seq));
    expect(seen.paused).toHaveLength(1);
    expect(seen.paused[0]).toMatch(/^disk full: /);
    expect(seen.resumed).toBe(0);
    expect(seen.errors).toEqual([]);
    expect(writer.pending).toBe(249);
    expect(readEvents(db, 's1').map((e) => e.seq)).toEqual([1]);

    db.pragma('max_page_count = 1000000');
    await withTimeout(writer.flush(), 10_000, 'flush after space returned');
    expect(writer.paused).toBe(false);
    expect(seen.resumed).toBe(1);
    expect(seen.batches.flat().map((e) => e.seq)).toEqual(range(1, 250));
    expect(readEvents(db, 's1').map((e) => e.seq)).toEqual(range(1, 250));
    expect(checkIntegrity(db, 'full')).toEqual([]);
  });
});
