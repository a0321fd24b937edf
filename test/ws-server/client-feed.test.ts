import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/domain/index.js';
import type { ServerMessageOf } from '../../src/protocol/index.js';
import { createClientFeed, type FeedLimits } from '../../src/ws-server/client-feed.js';
import { createHub } from '../../src/ws-server/hub.js';
import type { SessionSource } from '../../src/ws-server/session-source.js';
import { waitUntil } from './support.js';

const LIMITS: FeedLimits = { highWaterBytes: 64 * 1024, lowWaterBytes: 16 * 1024, stallMs: 60_000, pageSize: 100, pollMs: 2 };

// A socket whose peer reads only when told to: until then every byte sent stays queued.
function createSocket() {
  const frames: ServerMessageOf<'batch'>[] = [];
  const socket = {
    bufferedAmount: 0,
    sentBytes: 0,
    reading: false,
    frames,
    send(data: Buffer) {
      if (!socket.reading) socket.bufferedAmount += data.length;
      socket.sentBytes += data.length;
      frames.push(JSON.parse(data.toString()) as ServerMessageOf<'batch'>);
    },
  };
  return socket;
}

// An array-backed source: the log and its store are the same array.
function createSource(log: LogEntry[]): SessionSource {
  return { readEvents: ({ fromSeq, toSeq }) => log.filter((e) => e.seq >= fromSeq && e.seq <= toSeq) } as SessionSource;
}

function setup(limits = LIMITS) {
  const log: LogEntry[] = [];
  const hub = createHub({ startSeq: 0, flushMs: 1000, maxItems: 50 });
  const socket = createSocket();
  const events: string[] = [];
  const feed = createClientFeed(socket, hub, createSource(log), limits, {
    onResynced: () => events.push('resynced'),
    onLagging: () => events.push('lagging'),
    onFailed: (reason) => events.push(`failed:${reason}`),
  });
  hub.add(feed);
  const append = (count: number) => {
    for (let i = 0; i < count; i += 1) {
      const entry: LogEntry = { type: 'agent.message', text: 'y'.repeat(500), sessionId: 's1', workerId: 'w1', seq: log.length + 1, ts: 0 };
      log.push(entry);
      hub.addEntry(entry);
    }
    hub.flush();
  };
  const seqs = () => socket.frames.flatMap((f) => f.items.flatMap((item) => (item.kind === 'log' ? [item.entry.seq] : [])));
  return { hub, socket, feed, events, append, seqs };
}

describe('client feed', () => {
  it('queues at most highWaterBytes for a client that does not read, then catches it up from the store', async () => {
    const { socket, feed, events, append, seqs } = setup();
    feed.subscribe(1);
    await new Promise((resolve) => setImmediate(resolve));
    append(2000);
    expect(socket.sentBytes).toBeLessThanOrEqual(LIMITS.highWaterBytes);
    expect(events).toEqual(['lagging']);
    append(2000);
    expect(socket.sentBytes).toBeLessThanOrEqual(LIMITS.highWaterBytes);
    socket.reading = true;
    socket.bufferedAmount = 0;
    await waitUntil(() => events.includes('resynced'), 2000, 'the catch-up');
    expect(seqs()).toEqual(Array.from({ length: 4000 }, (_, i) => i + 1));
    append(10);
    expect(seqs().at(-1)).toBe(4010);
  });

  it('gives up on a client whose queue stays above lowWaterBytes for stallMs', async () => {
    const { socket, feed, events, append } = setup({ ...LIMITS, stallMs: 50 });
    feed.subscribe();
    await new Promise((resolve) => setImmediate(resolve));
    append(2000);
    await waitUntil(() => events.includes('failed:slow'), 2000, 'the drop');
    const sent = socket.sentBytes;
    append(100);
    expect(socket.sentBytes).toBe(sent);
  });

  it('reports a history read that throws instead of throwing itself', async () => {
    const hub = createHub({ startSeq: 5, flushMs: 1000, maxItems: 50 });
    const failures: string[] = [];
    const source = { readEvents: () => { throw new Error('closed'); } } as unknown as SessionSource;
    const feed = createClientFeed(createSocket(), hub, source, LIMITS, { onResynced() {}, onLagging() {}, onFailed: (reason) => failures.push(reason) });
    expect(feed.subscribe(1)).toBe(true);
    await waitUntil(() => failures.length === 1, 1000, 'the failure');
    expect(failures).toEqual(['history']);
    expect(feed.subscribe(7)).toBe(false);
  });
});
