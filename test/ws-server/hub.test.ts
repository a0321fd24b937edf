import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogEntry } from '../../src/domain/index.js';
import { createHub, type EncodedBatch } from '../../src/ws-server/hub.js';

afterEach(() => vi.useRealTimers());

const entry = (seq: number): LogEntry => ({ type: 'agent.message', text: `m${seq}`, sessionId: 's1', workerId: 'w1', seq, ts: seq });

function setup(startSeq = 0) {
  const hub = createHub({ startSeq, flushMs: 16, maxItems: 256 });
  const received: EncodedBatch[][] = [[], []];
  for (const list of received) hub.add({ deliver: (batch) => list.push(batch) });
  return { hub, received };
}

describe('hub', () => {
  it('flushes as soon as a batch holds maxItems, and otherwise flushMs after its first item', () => {
    vi.useFakeTimers();
    const { hub, received } = setup();
    for (let seq = 1; seq <= 300; seq += 1) hub.addEntry(entry(seq));
    expect(received[0]!.map((b) => [b.fromSeq, b.toSeq, b.items])).toEqual([[1, 256, 256]]);
    vi.advanceTimersByTime(15);
    expect(received[0]).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(received[0]!.map((b) => [b.fromSeq, b.toSeq, b.items])).toEqual([[1, 256, 256], [257, 300, 44]]);
    expect(hub.flushedSeq).toBe(300);
  });

  it("delivers what is still buffered when it closes, so the session's last events reach every client", () => {
    vi.useFakeTimers();
    const { hub, received } = setup();
    hub.addEntry(entry(1));
    hub.addEntry(entry(2));
    hub.close();
    for (const list of received) expect(list.map((b) => [b.fromSeq, b.toSeq])).toEqual([[1, 2]]);
    hub.addEntry(entry(3));
    vi.advanceTimersByTime(100);
    expect(received[0]).toHaveLength(1);
  });

  it('encodes each batch once: every client is handed the very same Buffer', () => {
    const { hub, received } = setup();
    const stringify = vi.spyOn(JSON, 'stringify');
    hub.addEntry(entry(1));
    hub.addInspection({ kind: 'actor', atSeq: 1, actorId: 'x:1', id: 'worker:design', parentId: 'x:0', machine: 'worker' });
    hub.flush();
    expect(stringify).toHaveBeenCalledTimes(1);
    stringify.mockRestore();
    expect(received[0]![0]!.data).toBe(received[1]![0]!.data);
    expect(JSON.parse(received[0]![0]!.data.toString())).toMatchObject({ type: 'batch', fromSeq: 1, toSeq: 1, items: [{ kind: 'log' }, { kind: 'actor' }] });
  });

  it('skips the encoding when nobody listens, yet moves on so later subscribers read the store', () => {
    const hub = createHub({ startSeq: 10, flushMs: 16, maxItems: 256 });
    const stringify = vi.spyOn(JSON, 'stringify');
    hub.addEntry(entry(11));
    hub.flush();
    expect(stringify).not.toHaveBeenCalled();
    stringify.mockRestore();
    expect(hub.flushedSeq).toBe(11);
  });

  it('ignores an entry at or below the last one it took (the seam never repeats)', () => {
    const { hub, received } = setup(5);
    for (const seq of [4, 5, 6, 6, 7]) hub.addEntry(entry(seq));
    hub.flush();
    expect(JSON.parse(received[0]![0]!.data.toString()).items.map((i: { entry: LogEntry }) => i.entry.seq)).toEqual([6, 7]);
  });
});
