import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogEntry } from '../../src/domain/index.js';
import { checkIntegrity, openDatabase, type Db } from '../../src/store/database.js';
import { readEvents } from '../../src/store/event-reader.js';
import { createEventWriter, type EventWriterOptions, type WriterErrorKind } from '../../src/store/event-writer.js';
import { message, removeTempDirs, tempDbPath } from './support.js';

const open: Db[] = [];

afterEach(() => {
  vi.useRealTimers();
  for (const db of open.splice(0)) db.close();
  removeTempDirs();
});

function setup(options: EventWriterOptions = {}) {
  const db = openDatabase(tempDbPath());
  open.push(db);
  const batches: LogEntry[][] = [];
  const inserted: number[] = [];
  const errors: { error: unknown; kind: WriterErrorKind }[] = [];
  const writer = createEventWriter(db, {
    onCommitted: (entries, info) => {
      batches.push([...entries]);
      inserted.push(info.inserted);
    },
    onError: (error, kind) => errors.push({ error, kind }),
    ...options,
  });
  const stored = () => readEvents(db, 's1').map((e) => e.seq);
  return { db, writer, batches, inserted, errors, stored };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('event writer', () => {
  it('commits queued entries in one batch, no later than the flush interval after the first', () => {
    vi.useFakeTimers();
    const { writer, batches, stored } = setup({ flushIntervalMs: 25 });
    writer.append(message('s1', 1));
    vi.advanceTimersByTime(10);
    for (const seq of range(2, 10)) writer.append(message('s1', seq));
    vi.advanceTimersByTime(14);
    expect(batches).toEqual([]);
    expect(stored()).toEqual([]);
    expect(writer.pending).toBe(10);
    vi.advanceTimersByTime(1);
    expect(batches.map((b) => b.map((e) => e.seq))).toEqual([range(1, 10)]);
    expect(stored()).toEqual(range(1, 10));
    expect(writer.pending).toBe(0);
  });

  it('writes a full batch at once and splits a burst into maxBatch-sized transactions, in order', () => {
    vi.useFakeTimers();
    const { writer, batches, stored } = setup({ maxBatch: 512 });
    for (const seq of range(1, 1200)) writer.append(message('s1', seq));
    // A zero delay is 1 ms for Node timers; each further batch follows 1 ms after the previous.
    vi.advanceTimersByTime(3);
    expect(batches.map((b) => b.length)).toEqual([512, 512, 176]);
    expect(batches.flat().map((e) => e.seq)).toEqual(range(1, 1200));
    expect(stored()).toEqual(range(1, 1200));
  });

  it('hands onCommitted the very entries it was given, and stores them whole', async () => {
    const { db, writer, batches } = setup();
    const entry: LogEntry = { type: 'agent.toolCall', tool: 'Bash', kind: 'shell', command: 'ls', sessionId: 's1', workerId: 'w2', seq: 1, ts: 5.5 };
    writer.append(entry);
    await writer.flush();
    expect(batches[0]?.[0]).toBe(entry);
    expect(readEvents(db, 's1')).toEqual([entry]);
    const row = db.prepare('SELECT ts, worker_id, type FROM events').get();
    expect(row).toEqual({ ts: 5.5, worker_id: 'w2', type: 'agent.toolCall' });
  });

  it('re-appending stored seqs is harmless: the first write wins, nothing is duplicated', async () => {
    const { db, writer, batches, inserted, stored } = setup();
    for (const seq of range(1, 5)) writer.append(message('s1', seq));
    await writer.flush();
    for (const seq of range(3, 7)) writer.append(message('s1', seq, `again ${seq}`));
    await writer.flush();
    expect(stored()).toEqual(range(1, 7));
    expect(inserted).toEqual([5, 2]);
    expect(batches[1]?.map((e) => e.seq)).toEqual(range(3, 7));
    expect(readEvents(db, 's1', { fromSeq: 3, toSeq: 3 })[0]).toMatchObject({ text: 'event 3' });
  });

  it('keeps sessions apart: the same seq in two sessions is two events', async () => {
    const { db, writer } = setup();
    writer.append(message('s1', 1));
    writer.append(message('s2', 1));
    await writer.flush();
    expect(readEvents(db, 's1')).toHaveLength(1);
    expect(readEvents(db, 's2')).toHaveLength(1);
  });

  it('rejects an entry without a valid stamp or JSON form at append, and goes on writing', async () => {
    const { writer, stored, errors } = setup();
    expect(() => writer.append({ ...message('s1', 1), seq: 1.5 })).toThrow(/seq/);
    expect(() => writer.append({ ...message('s1', 1), sessionId: undefined } as unknown as LogEntry)).toThrow(/sessionId/);
    expect(() => writer.append({ ...message('s1', 1), extra: 1n } as unknown as LogEntry)).toThrow(/JSON/);
    writer.append(message('s1', 1));
    await writer.flush();
    expect(stored()).toEqual([1]);
    expect(errors).toEqual([]);
  });

  it('reports a throwing onCommitted and keeps writing', async () => {
    const errors: WriterErrorKind[] = [];
    const { writer, stored } = setup({
      onCommitted: () => {
        throw new Error('listener failed');
      },
      onError: (_error, kind) => errors.push(kind),
    });
    writer.append(message('s1', 1));
    await writer.flush();
    writer.append(message('s1', 2));
    await writer.flush();
    expect(stored()).toEqual([1, 2]);
    expect(errors).toEqual(['callback', 'callback']);
  });

  it('reports a backlog over maxPending once, and keeps every entry', async () => {
    const { writer, errors, stored } = setup({ maxPending: 10 });
    for (const seq of range(1, 30)) writer.append(message('s1', seq));
    expect(writer.pending).toBe(30);
    await writer.flush();
    expect(errors.map((e) => e.kind)).toEqual(['backlog']);
    expect(String(errors[0]?.error)).toContain('maxPending 10');
    expect(stored()).toEqual(range(1, 30));
  });

  it('close flushes what is queued and refuses later appends', async () => {
    const { db, writer, stored } = setup({ flushIntervalMs: 10_000 });
    for (const seq of range(1, 3)) writer.append(message('s1', seq));
    await writer.close();
    expect(stored()).toEqual([1, 2, 3]);
    expect(() => writer.append(message('s1', 4))).toThrow(/closed/);
    expect(checkIntegrity(db, 'full')).toEqual([]);
  });

  it('flush resolves at once when nothing is pending', async () => {
    const { writer, batches } = setup();
    await writer.flush();
    expect(batches).toEqual([]);
  });
});
