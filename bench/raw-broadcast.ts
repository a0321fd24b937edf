// The broadcast baseline: the least a batched broadcast must do. The sim child → the line framer →
// JSON.parse (bench/raw.ts, as in part 1) → each parsed line an item of a batch, flushed at the
// dashboard's 16 ms or 256 items, encoded once and sent to every client of a bare `ws` server. No
// normalizer, no log, no store, no authentication, no backpressure.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { DEFAULT_LIMITS } from '../src/ws-server/index.js';
import type { BroadcastFeed } from './broadcast-feed.js';
import { createMessageCounter } from './broadcast-feed.js';
import type { BroadcastJob } from './broadcast-protocol.js';
import { IS_MESSAGE, readSimLines } from './raw.js';
import type { RunContext } from './run-context.js';

// Batches items as the dashboard's hub does: a batch is flushed flushMs after its first item or as
// soon as it holds maxItems, and encoded once for every socket.
function createBatcher(sockets: ReadonlySet<WebSocket>, flushMs: number, maxItems: number) {
  let items: unknown[] = [];
  let seq = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (items.length === 0) return;
    const data = Buffer.from(JSON.stringify({ type: 'batch', fromSeq: seq - items.length + 1, toSeq: seq, items }));
    items = [];
    for (const ws of sockets) ws.send(data, { binary: false });
  };
  return {
    /** Adds an item and returns its seq. */
    add(item: unknown): number {
      items.push(item);
      seq++;
      if (items.length >= maxItems) flush();
      else timer ??= setTimeout(flush, flushMs);
      return seq;
    },
    close(): void {
      clearTimeout(timer);
    },
  };
}

export async function startRawBroadcast(job: BroadcastJob, ctx: RunContext): Promise<BroadcastFeed> {
  const server = createServer();
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false, clientTracking: false });
  wss.on('connection', (ws) => {
    sockets.add(ws);
    // Any message is taken for a subscribe: every client gets every batch from the first.
    ws.on('message', () => ws.send('{"type":"ack","id":"bench"}'));
    ws.on('error', () => {});
    ws.on('close', () => sockets.delete(ws));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const batcher = createBatcher(sockets, DEFAULT_LIMITS.flushMs, DEFAULT_LIMITS.maxBatchItems);
  const counter = createMessageCounter(job.count, job.kind === 'latency' ? job.steadyFrom : undefined);
  const isMessage = IS_MESSAGE[job.vendor];
  let ended: Promise<unknown> | undefined;

  return {
    url: `ws://127.0.0.1:${port}/ws`,
    headers: {},
    start() {
      ended = readSimLines(
        {
          command: job.command,
          maxLineBytes: job.maxLineBytes,
          stderrLogPath: join(job.workDir, 'raw.stderr.log'),
          timeoutMs: job.timeoutMs,
          what: `the raw ${job.kind} run`,
        },
        ctx,
        (value, line) => {
          const seq = batcher.add(value);
          if (isMessage(value)) counter.message(line, seq);
        },
      );
      ended.then(() => counter.end(), (error: unknown) => counter.end(error));
    },
    lastMessage: counter.lastMessage,
    async finished() {
      await ended;
    },
    resyncs: () => Promise.resolve(undefined),
    async close() {
      batcher.close();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
