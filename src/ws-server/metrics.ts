import type { LogEntry } from '../domain/index.js';
import type { SessionDigest } from '../protocol/index.js';

/** Counters the server itself keeps, each rendered with one label (see METRICS_HELP for the meaning). */
export type ServerCounter = 'rejected' | 'clientsDropped' | 'resyncs' | 'batches' | 'batchItems' | 'messages';

const COUNTERS: Record<ServerCounter, { name: string; label?: string; help: string }> = {
  rejected: { name: 'orchestrate_dashboard_rejected_total', label: 'reason', help: 'HTTP requests and upgrades refused (host, origin, token, crossSite, capacity, malformed).' },
  clientsDropped: { name: 'orchestrate_dashboard_clients_dropped_total', label: 'reason', help: 'WebSocket clients closed by the server (slow, heartbeat, flood).' },
  resyncs: { name: 'orchestrate_dashboard_resyncs_total', help: 'Times a client fell behind and was re-served from the store.' },
  batches: { name: 'orchestrate_dashboard_batches_total', help: 'Live batches flushed (each encoded once for all clients).' },
  batchItems: { name: 'orchestrate_dashboard_batch_items_total', help: 'Items in the live batches flushed.' },
  messages: { name: 'orchestrate_dashboard_messages_total', label: 'result', help: 'Client messages by result (ok, refused, invalid, rateLimited).' },
};

/** What a scrape shows besides the counters. */
export interface MetricsView {
  digest: SessionDigest;
  clients: number;
  lastSeq: number;
}

/** The metrics the server renders at /metrics. */
export type Metrics = ReturnType<typeof createMetrics>;

// Counts what the server sees: committed events since it started, and its own traffic.
export function createMetrics() {
  const events = new Map<string, number>();
  const counters = new Map<ServerCounter, Map<string, number>>();
  let droppedLines = 0;
  return {
    observe(entry: LogEntry): void {
      events.set(entry.type, (events.get(entry.type) ?? 0) + 1);
      if (entry.type === 'agent.unparsed' && entry.reason === 'oversized') droppedLines += 1;
    },
    count(counter: ServerCounter, label = '', by = 1): void {
      const series = counters.get(counter) ?? new Map<string, number>();
      series.set(label, (series.get(label) ?? 0) + by);
      counters.set(counter, series);
    },
    // The Prometheus text exposition format, version 0.0.4.
    render(view: MetricsView): string {
      const { digest } = view;
      const out: string[] = [];
      family(out, 'orchestrate_events_total', 'counter', 'Committed events seen since the server started, by type.', labelled('type', events));
      family(out, 'orchestrate_last_seq', 'gauge', 'The last committed event seq.', [['', view.lastSeq]]);
      family(out, 'orchestrate_workers', 'gauge', 'Workers (agent runs) by state.', labelled('state', tally(digest.workers.map((w) => w.state))));
      family(out, 'orchestrate_tier_changes_total', 'counter', 'Tier changes in the session, the first staffing included.', [['', digest.tierPath.length]]);
      const restarts = digest.phases.reduce((sum, phase) => sum + Math.max(0, phase.workerIds.length - 1), 0);
      family(out, 'orchestrate_worker_restarts_total', 'counter', 'Phase attempts after the first (a relaunch or another agent).', [['', restarts]]);
      const { inputTokens, outputTokens, costUsd } = digest.usage;
      family(out, 'orchestrate_tokens_total', 'counter', 'Tokens the agents reported.', [['{direction="input"}', inputTokens], ['{direction="output"}', outputTokens]]);
      family(out, 'orchestrate_cost_usd_total', 'counter', 'Cost in US dollars, where the agents report it.', [['', costUsd]]);
      family(out, 'orchestrate_dropped_lines_total', 'counter', 'Agent output lines over the size cap, dropped and reported as agent.unparsed.', [['', droppedLines]]);
      family(out, 'orchestrate_dashboard_clients', 'gauge', 'Connected WebSocket clients.', [['', view.clients]]);
      for (const [counter, spec] of Object.entries(COUNTERS) as [ServerCounter, (typeof COUNTERS)[ServerCounter]][]) {
        const series = counters.get(counter) ?? new Map<string, number>();
        family(out, spec.name, 'counter', spec.help, spec.label ? labelled(spec.label, series) : [['', series.get('') ?? 0]]);
      }
      return out.join('\n') + '\n';
    },
  };
}

function family(out: string[], name: string, type: string, help: string, samples: readonly [string, number][]): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  for (const [labels, value] of samples) out.push(`${name}${labels} ${value}`);
}

function labelled(label: string, series: ReadonlyMap<string, number>): [string, number][] {
  return [...series].map(([value, count]) => [`{${label}="${escapeLabel(value)}"}`, count]);
}

function tally(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
