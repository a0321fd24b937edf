// The broadcast path under test: a real session on the simulated agent, with the real dashboard
// server over it, as `orchestrate run` starts them (createSessionSource, createDashboardServer on
// 127.0.0.1 and a port the OS picks). Each line goes: the sim → spawnAgentProcess and its line
// framer → the adapter's normalizer → the event log → the SQLite writer's batched transaction →
// the log's listeners → the dashboard's hub (16 ms or 256 items, encoded once) → every client.
import { createDefaultPlan, type Plan } from '../src/domain/index.js';
import { createSessionSource } from '../src/runtime/dashboard/session-source.js';
import { startSession } from '../src/runtime/start-session.js';
import { createDashboardServer } from '../src/ws-server/index.js';
import type { BroadcastFeed } from './broadcast-feed.js';
import { createMessageCounter } from './broadcast-feed.js';
import type { BroadcastJob } from './broadcast-protocol.js';
import { withTimeout, type RunContext } from './run-context.js';
import { simConfig, watchGroups } from './sim-agents.js';

/** Bound of the session's end after its agent's last message: the phase's checkpoint and the summary. */
const END_TIMEOUT_MS = 30_000;
const RESYNCS = /^orchestrate_dashboard_resyncs_total (\d+)$/m;

export async function startSessionBroadcast(job: BroadcastJob, ctx: RunContext): Promise<BroadcastFeed> {
  // One phase, the one the default plan gives to this vendor, and that vendor alone.
  const plan: Plan = { phases: createDefaultPlan().phases.filter((p) => p.preferredAgent === job.vendor) };
  const session = await startSession({
    task: 'orchestrate bench: broadcast',
    target: job.place.target,
    workspace: job.place.workspace,
    config: simConfig(job.scenarioFile),
    plan,
    agents: [job.vendor],
  });
  watchGroups(session, ctx);
  const counter = createMessageCounter(job.count, job.kind === 'latency' ? job.steadyFrom : undefined);
  session.log.subscribe((entry) => {
    if (entry.type === 'agent.message') counter.message(entry.text, entry.seq);
  });
  session.done.then(() => counter.end(), (error: unknown) => counter.end(error));
  // As the CLI does it, in the same tick as the session's creation: no commit falls in between.
  const source = createSessionSource({ ...session, db: session.database });
  // The default cap is 16 clients: the bench's 20 need room.
  const server = await createDashboardServer({ source, port: 0, limits: { maxClients: job.clients } });
  const token = new URL(server.url).searchParams.get('token') ?? '';
  const origin = `http://127.0.0.1:${server.port}`;

  return {
    url: `ws://127.0.0.1:${server.port}/ws`,
    headers: { Origin: origin, Authorization: `Bearer ${token}` },
    start: () => session.start(),
    lastMessage: counter.lastMessage,
    async finished() {
      const summary = await withTimeout(session.done, END_TIMEOUT_MS, 'the session', () => session.stop());
      if (summary.status !== 'completed') throw new Error(`the session ended ${summary.status}${summary.reason ? `: ${summary.reason}` : ''}`);
    },
    async resyncs() {
      const response = await fetch(`${origin}/metrics`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) });
      const match = RESYNCS.exec(await response.text());
      return match ? Number(match[1]) : 0;
    },
    async close() {
      await server.close();
      session.dispose();
    },
  };
}
