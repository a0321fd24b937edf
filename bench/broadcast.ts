// The broadcast part of `npm run bench`: events from a simulated agent to 20 dashboard WebSocket
// clients, through a real session and its dashboard server, against a bare batched relay of the
// same lines measured in the same run: events per second as fast as the agent prints, and the
// latency from the agent's write to each client's receipt when it is paced. See bench/README.md.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentName } from '../src/domain/index.js';
import type { BroadcastJob, BroadcastKind, BroadcastMessage, BroadcastPath, BroadcastResult, LatencySummary } from './broadcast-protocol.js';
import { forkRunner } from './children.js';
import { makePlace } from './sessions.js';
import { simCommand } from './sim-agents.js';
import { fixed, int, markdownTable, median, minMax } from './stats.js';

const BROADCAST_RUNNER = fileURLToPath(new URL('./broadcast-runner.js', import.meta.url));

/** Codex lines (about 100 B) are about the size of the log entries the dashboard sends: both paths ship alike. */
const VENDOR: AgentName = 'codex';
/** As in research/xstate.md §2: K = 20 clients. */
const CLIENTS = 20;
/** How long the paced run lasts; its second half is the steady part the latency is taken over. */
const LATENCY_SECONDS = 4;
/** Bound of a throughput run, from the agent's start to its last message handed to the server. */
const THROUGHPUT_TIMEOUT_MS = 60_000;
/** Extra time a runner gets: the session's start and end, the clients' connection and receipt. */
const RUNNER_SLACK_MS = 90_000;
/** The raw reader's line cap, as in part 1 (the lines here are about 100 B). */
const MAX_LINE_BYTES = 1024 * 1024;
const PATHS: BroadcastPath[] = ['raw', 'pipeline'];
const KINDS: BroadcastKind[] = ['throughput', 'latency'];
const LABELS: Record<BroadcastPath, string> = { raw: 'raw relay (baseline)', pipeline: 'session + dashboard' };

export interface BroadcastBenchOptions {
  /** Messages of a throughput run. */
  events: number;
  /** Messages per second of a latency run. */
  rate: number;
  /** Rounds; each measures both paths, both kinds, every run in a fresh process. */
  runs: number;
}

function writeScenario(file: string, events: object): string {
  writeFileSync(file, JSON.stringify({ description: 'orchestrate bench: broadcast', steps: [{ events: { ...events, stamp: true } }] }));
  return file;
}

// Runs the broadcast measurements in `scratchDir` and returns the report's lines.
export async function benchBroadcast(options: BroadcastBenchOptions, scratchDir: string, log: (line: string) => void): Promise<string[]> {
  const dir = join(scratchDir, 'broadcast');
  mkdirSync(dir, { recursive: true });
  const paced = options.rate * LATENCY_SECONDS;
  const sizes: Record<BroadcastKind, { count: number; scenarioFile: string; timeoutMs: number }> = {
    throughput: { count: options.events, scenarioFile: writeScenario(join(dir, 'throughput.json'), { count: options.events }), timeoutMs: THROUGHPUT_TIMEOUT_MS },
    latency: {
      count: paced,
      scenarioFile: writeScenario(join(dir, 'latency.json'), { count: paced, perSecond: options.rate }),
      timeoutMs: LATENCY_SECONDS * 1000 + THROUGHPUT_TIMEOUT_MS,
    },
  };
  const place = await makePlace(dir);
  const results = new Map<string, BroadcastResult[]>();
  let run = 0;
  for (let round = 1; round <= options.runs; round++) {
    for (const kind of KINDS) {
      // Interleaved, so a change of the machine's load hits both paths alike.
      for (const path of PATHS) {
        const { count, scenarioFile, timeoutMs } = sizes[kind];
        const workDir = join(dir, `run-${++run}`);
        mkdirSync(workDir, { recursive: true });
        const job: BroadcastJob = {
          path,
          kind,
          vendor: VENDOR,
          count,
          scenarioFile,
          command: simCommand(VENDOR, scenarioFile, { prompt: 'orchestrate bench', cwd: workDir, skipTrust: true }).command,
          place: { target: place.target, workspace: join(workDir, 'workspace') },
          clients: CLIENTS,
          steadyFrom: Math.floor(count / 2),
          workDir,
          scratchDir,
          maxLineBytes: MAX_LINE_BYTES,
          timeoutMs,
        };
        const result = await forkRunner<BroadcastMessage, BroadcastResult>(
          { script: BROADCAST_RUNNER, job, what: `the ${path} ${kind} broadcast`, deadlineMs: timeoutMs + RUNNER_SLACK_MS },
          (message) => (message.type === 'broadcast' ? message.result : undefined),
        );
        rmSync(workDir, { recursive: true, force: true });
        const key = `${kind} ${path}`;
        results.set(key, [...(results.get(key) ?? []), result]);
        log(`  round ${round}/${options.runs} ${`${kind} ${LABELS[path]}:`.padEnd(32)} ${describe(kind, count, result)}`);
      }
    }
  }
  const of = (kind: BroadcastKind, path: BroadcastPath) => results.get(`${kind} ${path}`) ?? [];
  return report(options, paced, of);
}

const seconds = (ms: number) => ms / 1000;
/** Messages per second from the sim's first write to the last client's receipt of the last message. */
const deliveredPerSecond = (count: number, r: BroadcastResult) => count / seconds(r.lastReceiptMs - r.firstStampMs);
/** Messages per second the sim wrote them at. */
const writtenPerSecond = (count: number, r: BroadcastResult) => (count - 1) / seconds(r.lastStampMs - r.firstStampMs);

function describe(kind: BroadcastKind, count: number, r: BroadcastResult): string {
  if (kind === 'throughput') {
    return `${int(deliveredPerSecond(count, r)).padStart(8)} events/s (the sim wrote ${int(writtenPerSecond(count, r))}/s), ${fixed(r.cpuUs / count, 2)} µs CPU/event`;
  }
  const l = r.latency;
  return `${int(writtenPerSecond(count, r)).padStart(8)} events/s written; write → receipt p50 ${fixed(l?.p50, 2)} ms, p99 ${fixed(l?.p99, 2)} ms, p99.9 ${fixed(l?.p999, 2)} ms`;
}

function range(values: number[], format: (value: number) => string): string {
  const [lo, hi] = minMax(values);
  return `${format(lo)}–${format(hi)}`;
}

const ms = (value: number) => fixed(value, 2);

/** One path's runs of each kind. */
interface PathRuns {
  path: BroadcastPath;
  throughput: BroadcastResult[];
  latency: BroadcastResult[];
}

function throughputTable(paths: PathRuns[], events: number): string[] {
  const rows = paths.map(({ path, throughput: runs }) => {
    const rates = runs.map((r) => deliveredPerSecond(events, r));
    const resyncs = runs.flatMap((r) => (r.resyncs === undefined ? [] : [r.resyncs]));
    return [
      LABELS[path],
      int(median(rates)),
      range(rates, int),
      int(median(runs.map((r) => writtenPerSecond(events, r)))),
      fixed(median(runs.map((r) => r.cpuUs / events)), 2),
      int(median(runs.map((r) => r.bytesPerClient / events))),
      int(median(runs.map((r) => r.messagesPerClient))),
      resyncs.length === 0 ? '–' : int(median(resyncs)),
    ];
  });
  const out = [
    `Throughput: ${int(events)} messages as fast as the sim prints them`,
    '',
    markdownTable(
      ['path', 'events/s', 'range', 'sim wrote/s', 'server CPU µs/event', 'bytes/event/client', 'WS messages/client', 'clients re-served'],
      rows,
      [false, true, true, true, true, true, true, true],
    ),
  ];
  const raw = paths.find((p) => p.path === 'raw')?.throughput ?? [];
  if (median(raw.map((r) => deliveredPerSecond(events, r))) > 0.9 * median(raw.map((r) => writtenPerSecond(events, r)))) {
    out.push('', "note: the raw relay delivered about as fast as the sim wrote, so its events/s is the sim's speed, not the relay's; server CPU µs/event is the relay's own cost.");
  }
  return out;
}

// A latency figure of a path: the median over its rounds.
function latencyOf(runs: BroadcastResult[], pick: (summary: LatencySummary) => number): number[] {
  return runs.flatMap((r) => (r.latency ? [pick(r.latency)] : []));
}

function latencyTable(paths: PathRuns[], paced: number, rate: number): string[] {
  const rows = paths.map(({ path, latency: runs }) => [
    LABELS[path],
    int(median(runs.map((r) => writtenPerSecond(paced, r)))),
    int(median(latencyOf(runs, (l) => l.samples))),
    ms(median(runs.flatMap((r) => (r.toHubP50Ms === undefined ? [] : [r.toHubP50Ms])))),
    ms(median(latencyOf(runs, (l) => l.p50))),
    range(latencyOf(runs, (l) => l.p50), ms),
    ms(median(latencyOf(runs, (l) => l.p90))),
    ms(median(latencyOf(runs, (l) => l.p99))),
    range(latencyOf(runs, (l) => l.p99), ms),
    ms(median(latencyOf(runs, (l) => l.p999))),
    ms(median(latencyOf(runs, (l) => l.max))),
  ]);
  return [
    `Latency: ${int(paced)} messages paced at ${int(rate)}/s; the sim's write → each client's receipt, over every client and the second half of the messages`,
    '',
    markdownTable(
      ['path', 'events/s written', 'samples/run', 'write → hub p50 ms', 'p50 ms', 'range', 'p90 ms', 'p99 ms', 'range', 'p99.9 ms', 'max ms'],
      rows,
      [false, true, true, true, true, true, true, true, true, true, true],
    ),
  ];
}

function ratioTable(raw: PathRuns, pipeline: PathRuns, events: number): string[] {
  const row = (label: string, figure: (runs: PathRuns) => number[], format: (value: number) => string): string[] => {
    const [r, p] = [median(figure(raw)), median(figure(pipeline))];
    return [label, format(r), format(p), fixed(p / r, 2)];
  };
  return [
    markdownTable(
      ['figure (medians)', LABELS.raw, LABELS.pipeline, 'pipeline ÷ raw'],
      [
        row('events/s delivered to every client', (p) => p.throughput.map((r) => deliveredPerSecond(events, r)), int),
        row('server CPU µs/event', (p) => p.throughput.map((r) => r.cpuUs / events), ms),
        row('latency p50 ms', (p) => latencyOf(p.latency, (l) => l.p50), ms),
        row('latency p99 ms', (p) => latencyOf(p.latency, (l) => l.p99), ms),
        row('latency p99.9 ms', (p) => latencyOf(p.latency, (l) => l.p999), ms),
      ],
      [false, true, true, true],
    ),
  ];
}

function report(options: BroadcastBenchOptions, paced: number, of: (kind: BroadcastKind, path: BroadcastPath) => BroadcastResult[]): string[] {
  const [raw, pipeline] = PATHS.map((path): PathRuns => ({ path, throughput: of('throughput', path), latency: of('latency', path) })) as [PathRuns, PathRuns];
  return [
    '',
    `Broadcast: the ${VENDOR} sim → ${CLIENTS} WebSocket clients (one process); median of ${options.runs} rounds, every run in a fresh process`,
    '',
    ...throughputTable([raw, pipeline], options.events),
    '',
    ...latencyTable([raw, pipeline], paced, options.rate),
    '',
    ...ratioTable(raw, pipeline, options.events),
  ];
}
