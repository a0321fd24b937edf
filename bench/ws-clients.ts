// The dashboard clients of a broadcast run, all in this one process (forked by the broadcast
// runner), so that their CPU is not the server's. Each connects, authenticates, subscribes from seq
// 1, and notes when each batch arrives; it reads only the batch's header (its seqs), so the clients
// stay cheap, and checks that the seqs come without a gap or a repeat. Latency runs keep the batches
// and read the sim's stamps in them after the run. The job comes as the first IPC message, not in
// argv, so the token stays out of the process list. Not meant to be run by hand.
import WebSocket, { type RawData } from 'ws';
import { monotonicMs, STAMPED_TEXT } from '../src/adapters/sim/stamp.js';
import type { ClientsCommand, ClientsJob, ClientsMessage, ClientsReport, LatencySummary } from './broadcast-protocol.js';
import { quantile } from './stats.js';

/** Set by the first IPC message. */
let job: ClientsJob;
/** Both servers encode a batch as JSON.stringify({ type, fromSeq, toSeq, items }): the header comes first. */
const BATCH_HEADER = /^\{"type":"batch","fromSeq":(\d+),"toSeq":(\d+)/;
const HEADER_BYTES = 64;
const SUBSCRIBE_TIMEOUT_MS = 10_000;

interface Client {
  index: number;
  ws: WebSocket;
  /** The last seq received: every seq up to it arrived exactly once. */
  seq: number;
  bytes: number;
  messages: number;
  /** Each batch's last seq and its arrival time. */
  batchSeqs: number[];
  batchTimes: number[];
  /** Latency runs: each batch's arrival time and a copy of its bytes. */
  kept: { at: number; data: Buffer }[];
}

let failure: string | undefined;
let closing = false;
const changed = new Set<() => void>();

function send(message: ClientsMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

function fail(message: string): void {
  failure ??= message;
  for (const wake of changed) wake();
}

function connect(index: number): Promise<Client> {
  const ws = new WebSocket(job.url, { headers: job.headers, perMessageDeflate: false });
  const client: Client = { index, ws, seq: 0, bytes: 0, messages: 0, batchSeqs: [], batchTimes: [], kept: [] };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`client ${index} was not subscribed within ${SUBSCRIBE_TIMEOUT_MS / 1000} s`)), SUBSCRIBE_TIMEOUT_MS);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', id: 'bench', fromSeq: 1 })));
    ws.on('unexpected-response', (_request, response) => reject(new Error(`client ${index} was refused with ${response.statusCode}`)));
    ws.on('error', (error) => reject(new Error(`client ${index}: ${error.message}`)));
    ws.on('close', (code) => {
      if (!closing) fail(`client ${index} was closed by the server (${code})`);
    });
    ws.on('message', (raw: RawData) => {
      // The arrival time comes first: nothing this client does delays it.
      const at = monotonicMs();
      const data = raw as Buffer;
      client.bytes += data.length;
      client.messages++;
      const header = BATCH_HEADER.exec(data.toString('latin1', 0, HEADER_BYTES));
      if (!header) {
        const head = data.toString('utf8', 0, HEADER_BYTES);
        if (head.startsWith('{"type":"ack"')) {
          clearTimeout(timer);
          resolve(client);
        } else if (head.startsWith('{"type":"error"')) fail(`client ${index} got ${data.toString('utf8', 0, 300)}`);
        return;
      }
      const fromSeq = Number(header[1]);
      const toSeq = Number(header[2]);
      // An inspection-only batch is empty (toSeq = fromSeq - 1), still right after the last seq.
      if (fromSeq !== client.seq + 1) fail(`client ${index} got seqs ${fromSeq}–${toSeq} after seq ${client.seq}`);
      client.seq = Math.max(client.seq, toSeq);
      client.batchSeqs.push(toSeq);
      client.batchTimes.push(at);
      if (job.keepBatches) client.kept.push({ at, data: Buffer.from(data) });
      for (const wake of changed) wake();
    });
  });
}

// Write → receipt of every steady stamped message, at every client.
function latency(clients: Client[]): LatencySummary {
  const samples: number[] = [];
  for (const client of clients) {
    // A message's text comes again later (the agent's result repeats the last one, and the
    // machines' inspection records copy it): its first arrival is its log entry's.
    const arrived = new Uint8Array(job.steadyFrom + job.steadyCount + 1);
    let seen = 0;
    for (const { at, data } of client.kept) {
      for (const match of data.toString('utf8').matchAll(STAMPED_TEXT)) {
        const n = Number(match[1]);
        if (n <= job.steadyFrom || arrived[n] === 1) continue;
        arrived[n] = 1;
        samples.push(at - Number(match[2]));
        seen++;
      }
    }
    if (seen !== job.steadyCount) throw new Error(`client ${client.index} read ${seen} steady stamped messages, the sim printed ${job.steadyCount}`);
  }
  const sorted = Float64Array.from(samples).sort();
  return {
    samples: sorted.length,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    p999: quantile(sorted, 0.999),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

// Resolves once every client has every seq up to `seq`; rejects on a failure or after timeoutMs.
function awaitSeq(clients: Client[], seq: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (failure !== undefined) return done(new Error(failure));
      if (clients.every((c) => c.seq >= seq)) done();
    };
    const timer = setTimeout(() => {
      const behind = clients.filter((c) => c.seq < seq).map((c) => `client ${c.index} at seq ${c.seq}`);
      done(new Error(`not every client had seq ${seq} within ${Math.round(timeoutMs / 1000)} s: ${behind.join(', ')}`));
    }, timeoutMs);
    const done = (error?: Error) => {
      clearTimeout(timer);
      changed.delete(check);
      if (error) reject(error);
      else resolve();
    };
    changed.add(check);
    check();
  });
}

// Reports what every client received once each has every seq up to `seq` (or why not).
async function report(clients: Client[], seq: number, timeoutMs: number): Promise<void> {
  try {
    await awaitSeq(clients, seq, timeoutMs);
    const receipt: ClientsReport = {
      receiptMs: clients.map((c) => c.batchTimes[c.batchSeqs.findIndex((s) => s >= seq)]!),
      bytes: clients.map((c) => c.bytes),
      messages: clients.map((c) => c.messages),
      latency: job.keepBatches ? latency(clients) : undefined,
    };
    await send({ type: 'received', report: receipt });
  } catch (error) {
    await send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}

async function main(): Promise<void> {
  const clients = await Promise.all(Array.from({ length: job.clients }, (_, index) => connect(index + 1)));
  process.on('message', (command: ClientsCommand) => {
    if (command.type === 'await') void report(clients, command.seq, command.timeoutMs);
    else if (command.type === 'close') {
      closing = true;
      for (const client of clients) client.ws.terminate();
      process.exit(0);
    }
  });
  await send({ type: 'ready' });
}

// The runner went away: so do the clients.
process.on('disconnect', () => process.exit(1));
// The first message is the job.
process.once('message', (command: ClientsCommand) => {
  if (command.type !== 'connect') throw new Error(`the clients expected their job first, got ${command.type}`);
  job = command.job;
  main().catch(async (error: unknown) => {
    await send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
});
