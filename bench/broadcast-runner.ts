// One broadcast run in a process of its own (forked by bench/broadcast.ts, the job as JSON in argv):
// starts the path's server (raw or the pipeline), the clients process, then the agent; reports when
// every client had the last message, the server side's CPU time and, paced, the latency. Not meant
// to be run by hand.
import type { BroadcastFeed } from './broadcast-feed.js';
import type { BroadcastJob, BroadcastMessage } from './broadcast-protocol.js';
import { startRawBroadcast } from './raw-broadcast.js';
import { withTimeout, type RunContext } from './run-context.js';
import { collectGarbage, startRunnerProcess } from './runner-process.js';
import { startSessionBroadcast } from './session-broadcast.js';
import { median } from './stats.js';
import { startClients } from './ws-clients-fork.js';

/** Bound of the clients' receipt of the last message once the server has it. */
const RECEIPT_TIMEOUT_MS = 30_000;

const runner = startRunnerProcess<BroadcastJob, BroadcastMessage>();
const { job } = runner;

async function main(): Promise<void> {
  const ctx: RunContext = { index: 1, track: runner.track, untrack: runner.untrack };
  const feed: BroadcastFeed = job.path === 'raw' ? await startRawBroadcast(job, ctx) : await startSessionBroadcast(job, ctx);
  const clients = await startClients({
    url: feed.url,
    headers: feed.headers,
    clients: job.clients,
    keepBatches: job.kind === 'latency',
    steadyFrom: job.steadyFrom,
    steadyCount: job.count - job.steadyFrom,
  });
  collectGarbage();
  const cpu0 = process.cpuUsage();
  feed.start();
  const marks = await withTimeout(feed.lastMessage, job.timeoutMs, `the ${job.path} ${job.kind} run`, () => {});
  const report = await clients.receivedThrough(marks.seq, RECEIPT_TIMEOUT_MS);
  const cpu = process.cpuUsage(cpu0);
  await feed.finished();
  const resyncs = await feed.resyncs();
  clients.close();
  await feed.close();
  await runner.send({
    type: 'broadcast',
    result: {
      firstStampMs: marks.firstStampMs,
      lastStampMs: marks.lastStampMs,
      lastReceiptMs: Math.max(...report.receiptMs),
      cpuUs: cpu.user + cpu.system,
      bytesPerClient: median(report.bytes),
      messagesPerClient: median(report.messages),
      resyncs,
      latency: report.latency,
      toHubP50Ms: marks.toHubP50Ms,
    },
  });
}

runner.run(main);
