#!/usr/bin/env node
// `npm run bench`: the orchestrator pipeline against a raw baseline, both fed by the same simulated
// agent, measured in one run on one machine. See bench/README.md for what is measured and how to read it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AGENT_NAMES, type AgentName } from '../src/domain/index.js';
import { BenchError, cleanUp, forkRunner, trackDir } from './children.js';
import type { BenchJob, BenchMode, RunnerMessage, RunResult, SimRun } from './protocol.js';
import { benchBroadcast, type BroadcastBenchOptions } from './broadcast.js';
import { benchSessions } from './sessions.js';
import { SIM_MAIN, simCommand } from './sim-agents.js';
import { fixed, int, markdownTable, mb, median, minMax } from './stats.js';

const USAGE = `usage: npm run bench -- [--parts lines,replay,resume,broadcast] [--count N] [--runs R] [--vendors claude,codex,gemini]
                            [--log memory|file|both] [--session-events N] [--session-runs R] [--replay-runs R]
                            [--broadcast-events N] [--broadcast-rate N] [--broadcast-runs R]
  --parts             which measurements to make (default all four): lines (one agent line through the
                      pipeline against a raw reader), replay (replaySession against reading the events),
                      resume (resumeSession after a kill -9 against opening the database and a fresh start),
                      broadcast (a session's events to 20 dashboard clients against a bare batched relay)
  --count             assistant messages the simulated agent prints per run (default 100000)
  --runs              rounds; each round measures every path once, each run in a fresh process after
                      a warm-up run of a fifth of the size (default 3; the median is reported)
  --vendors           which vendors' stream formats to measure (default: all three)
  --log               where the pipeline's event log goes: memory only, the SQLite event store in a
                      temporary directory (as a session's), or both, as two rows (default both)
  --session-events    events committed when the orchestrator is SIGKILLed for the resume; the recorded
                      sessions are sized from it, about 1.1 times as many events (default 100000)
  --session-runs      measured rounds of the resume and its baselines, after a warm-up round (default 3)
  --replay-runs       measured rounds of the replay and its baselines, after a warm-up round (default 5)
  --broadcast-events  messages of a broadcast throughput run (default 50000)
  --broadcast-rate    messages per second of a broadcast latency run, which lasts 4 s (default 2000)
  --broadcast-runs    rounds of the broadcast runs, every run in a fresh process (default 3)`;

const DEFAULT_COUNT = 100_000;
const DEFAULT_RUNS = 3;
const DEFAULT_SESSION_EVENTS = 100_000;
const DEFAULT_SESSION_RUNS = 3;
const DEFAULT_REPLAY_RUNS = 5;
const DEFAULT_BROADCAST_EVENTS = 50_000;
const DEFAULT_BROADCAST_RATE = 2_000;
const DEFAULT_BROADCAST_RUNS = 3;
const PARTS = ['lines', 'replay', 'resume', 'broadcast'] as const;
type Part = (typeof PARTS)[number];
const MAX_LINE_BYTES = 1024 * 1024;
/** Bound of one run, spawn to done; a run normally takes 1–3 s. */
const RUN_TIMEOUT_MS = 30_000;
/** The warm-up run's size, as a share of a measured run's. */
const WARMUP_SHARE = 0.2;
/** Extra time a runner process gets to start and to report. */
const RUNNER_SLACK_MS = 15_000;

const RUNNER = fileURLToPath(new URL('./runner.js', import.meta.url));

/** One measured path: the raw baseline, or the pipeline with its event log in memory or in a file. */
interface BenchPath {
  mode: BenchMode;
  logFile: boolean;
  label: string;
}

const RAW: BenchPath = { mode: 'raw', logFile: false, label: 'raw' };
const PIPELINE_MEMORY: BenchPath = { mode: 'pipeline', logFile: false, label: 'pipeline, log in memory' };
const PIPELINE_FILE: BenchPath = { mode: 'pipeline', logFile: true, label: 'pipeline, SQLite log' };
const LOG_CHOICES: Record<string, BenchPath[]> = {
  memory: [PIPELINE_MEMORY],
  file: [PIPELINE_FILE],
  both: [PIPELINE_MEMORY, PIPELINE_FILE],
};

interface Options {
  parts: Set<Part>;
  count: number;
  runs: number;
  vendors: AgentName[];
  pipelines: BenchPath[];
  sessionEvents: number;
  sessionRuns: number;
  replayRuns: number;
  broadcast: BroadcastBenchOptions;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        count: { type: 'string' },
        runs: { type: 'string' },
        vendors: { type: 'string' },
        log: { type: 'string', default: 'both' },
        parts: { type: 'string', default: PARTS.join(',') },
        'session-events': { type: 'string' },
        'session-runs': { type: 'string' },
        'replay-runs': { type: 'string' },
        'broadcast-events': { type: 'string' },
        'broadcast-rate': { type: 'string' },
        'broadcast-runs': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new BenchError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const positive = (text: string | undefined, fallback: number, name: string): number => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new BenchError(`--${name} must be a positive integer, got ${text}`);
    return value;
  };
  const vendors = (values.vendors ?? AGENT_NAMES.join(',')).split(',').map((v) => v.trim());
  for (const vendor of vendors) {
    if (!(AGENT_NAMES as readonly string[]).includes(vendor)) {
      throw new BenchError(`unknown vendor ${vendor}: use ${AGENT_NAMES.join(', ')}`);
    }
  }
  const pipelines = LOG_CHOICES[values.log];
  if (!pipelines) throw new BenchError(`--log must be memory, file or both, got ${values.log}`);
  const parts = values.parts.split(',').map((p) => p.trim());
  for (const part of parts) {
    if (!(PARTS as readonly string[]).includes(part)) throw new BenchError(`unknown part ${part}: use ${PARTS.join(', ')}`);
  }
  const sessionEvents = positive(values['session-events'], DEFAULT_SESSION_EVENTS, 'session-events');
  if (sessionEvents < 1000) throw new BenchError(`--session-events must be at least 1000, got ${sessionEvents}`);
  return {
    parts: new Set(parts as Part[]),
    count: positive(values.count, DEFAULT_COUNT, 'count'),
    runs: positive(values.runs, DEFAULT_RUNS, 'runs'),
    vendors: vendors as AgentName[],
    pipelines,
    sessionEvents,
    sessionRuns: positive(values['session-runs'], DEFAULT_SESSION_RUNS, 'session-runs'),
    replayRuns: positive(values['replay-runs'], DEFAULT_REPLAY_RUNS, 'replay-runs'),
    broadcast: {
      events: positive(values['broadcast-events'], DEFAULT_BROADCAST_EVENTS, 'broadcast-events'),
      rate: positive(values['broadcast-rate'], DEFAULT_BROADCAST_RATE, 'broadcast-rate'),
      runs: positive(values['broadcast-runs'], DEFAULT_BROADCAST_RUNS, 'broadcast-runs'),
    },
  };
}

function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5_000 }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

interface Measured {
  runs: RunResult[];
  baselineRssBytes: number;
}

// Runs one configuration in a runner process of its own and waits (bounded) for its report.
function measure(job: BenchJob): Promise<Measured> {
  return forkRunner<RunnerMessage, Measured>(
    { script: RUNNER, job, what: `${job.vendor} ${job.mode}`, deadlineMs: (job.runs + 1) * job.runTimeoutMs + RUNNER_SLACK_MS },
    (message) => (message.type === 'result' ? { runs: message.runs, baselineRssBytes: message.baselineRssBytes } : undefined),
  );
}

interface Row {
  vendor: AgentName;
  path: BenchPath;
  lines: number;
  linesPerSec: number[];
  cpuPerLine: number[];
  simCpuPerLine: number[];
  peakRss: number[];
  peakHeap: number[];
  startRssBytes: number;
  events?: number;
  machineEvents?: number;
  logBytes?: number;
}

function toRow(vendor: AgentName, path: BenchPath, lines: number, measured: readonly Measured[]): Row {
  const runs = measured.flatMap((m) => m.runs);
  return {
    vendor,
    path,
    lines,
    linesPerSec: runs.map((r) => lines / (r.streamMs / 1000)),
    cpuPerLine: runs.map((r) => r.cpuUs / lines),
    simCpuPerLine: runs.flatMap((r) => (r.simCpuUs === undefined ? [] : [r.simCpuUs / lines])),
    peakRss: runs.map((r) => r.peakRssBytes),
    peakHeap: runs.map((r) => r.peakHeapBytes),
    startRssBytes: median(measured.map((m) => m.baselineRssBytes)),
    events: runs[0]?.events,
    machineEvents: runs[0]?.machineEvents,
    logBytes: runs[0]?.logBytes,
  };
}

function simCpu(row: Row): number | undefined {
  return row.simCpuPerLine.length > 0 ? median(row.simCpuPerLine) : undefined;
}

function printReport(options: Options, rows: Row[], load: { start: number[]; end: number[] }, seconds: number): void {
  const cores = cpus();
  const out: string[] = [];
  out.push('');
  out.push(
    `node ${process.version}, ${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}; ` +
      `${int(options.count)} assistant messages per run; median of ${options.runs} runs, each in a fresh process after a warm-up run; ${seconds.toFixed(0)} s in all`,
  );
  out.push(
    `load average (1, 5, 15 min) before ${load.start.map((l) => l.toFixed(1)).join(' ')}, after ${load.end.map((l) => l.toFixed(1)).join(' ')}`,
  );
  out.push('');
  const header = ['vendor', 'path', 'lines/run', 'lines/s', 'range', 'CPU µs/line', 'sim CPU µs/line', 'RSS at start MB', 'peak RSS MB', 'peak heap MB'];
  const body = rows.map((r) => {
    const [lo, hi] = minMax(r.linesPerSec);
    return [
      r.vendor,
      r.path.label,
      int(r.lines),
      int(median(r.linesPerSec)),
      `${int(lo)}–${int(hi)}`,
      fixed(median(r.cpuPerLine), 2),
      fixed(simCpu(r), 2),
      mb(r.startRssBytes),
      mb(median(r.peakRss)),
      mb(median(r.peakHeap)),
    ];
  });
  out.push(markdownTable(header, body, [false, false, true, true, true, true, true, true, true, true]));
  out.push('');
  const ratioHeader = ['vendor', 'path', 'lines/s ÷ raw', 'CPU/line ÷ raw', 'CPU µs/line over raw', 'peak RSS over raw MB', 'log events/run', 'machine events/run', 'log file MB'];
  const ratioRows: string[][] = [];
  for (const row of rows) {
    const raw = rows.find((r) => r.vendor === row.vendor && r.path.mode === 'raw');
    if (!raw || row.path.mode === 'raw') continue;
    ratioRows.push([
      row.vendor,
      row.path.label,
      fixed(median(row.linesPerSec) / median(raw.linesPerSec), 2),
      fixed(median(row.cpuPerLine) / median(raw.cpuPerLine), 2),
      fixed(median(row.cpuPerLine) - median(raw.cpuPerLine), 2),
      mb(median(row.peakRss) - median(raw.peakRss)),
      int(row.events ?? Number.NaN),
      int(row.machineEvents ?? Number.NaN),
      row.logBytes === undefined ? '–' : mb(row.logBytes),
    ]);
  }
  out.push(markdownTable(ratioHeader, ratioRows, [false, false, true, true, true, true, true, true, true]));
  out.push('');
  if (Math.max(load.start[0] ?? 0, load.end[0] ?? 0) > cores.length) {
    out.push(`note: the 1-minute load average exceeded the ${cores.length} cores: other work competed for the CPU, so lines/s is noisy; CPU µs/line is steadier.`);
  }
  if (rows.some((r) => r.path.mode === 'raw' && (simCpu(r) ?? 0) > median(r.cpuPerLine))) {
    out.push("note: the sim spends more CPU per line than the raw reader, so the raw lines/s is the sim's speed, not the reader's.");
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

// Part 1: one agent line through the pipeline against the raw reader, per vendor.
async function benchLines(options: Options, scratchDir: string): Promise<void> {
  const started = Date.now();
  const load = { start: loadavg(), end: [] as number[] };
  const clockTicks = clockTicksPerSecond();
  const paths = [RAW, ...options.pipelines];
  const warmupCount = Math.max(1, Math.round(options.count * WARMUP_SHARE));
  const scenarios = new Map<number, string>();
  for (const count of new Set([warmupCount, options.count])) {
    const file = join(scratchDir, `scenario-${count}.json`);
    writeFileSync(file, JSON.stringify({ description: 'orchestrate bench', steps: [{ events: { count } }] }));
    scenarios.set(count, file);
  }

  process.stdout.write(
    `orchestrate bench: ${options.vendors.join(', ')} × (${paths.map((p) => p.label).join('; ')}); ` +
      `${options.runs} rounds of ${int(options.count)} messages, each run in a fresh process after a ${int(warmupCount)}-message warm-up\n`,
  );
  const rows: Row[] = [];
  for (const vendor of options.vendors) {
    const workDir = join(scratchDir, vendor);
    mkdirSync(workDir, { recursive: true });
    const launch = { prompt: 'orchestrate bench', cwd: workDir, skipTrust: true };
    const simRun = (count: number): SimRun => ({ count, ...simCommand(vendor, scenarios.get(count) ?? '', launch) });
    const warmup = simRun(warmupCount);
    const measured = simRun(options.count);
    const results = new Map<BenchPath, Measured[]>(paths.map((p) => [p, []]));
    let lines = 0;
    // Rounds interleave the paths, so a change of the machine's load hits them alike.
    for (let round = 1; round <= options.runs; round++) {
      for (const path of paths) {
        const result = await measure({
          mode: path.mode,
          vendor,
          warmup,
          measured,
          runs: 1,
          workDir,
          scratchDir,
          logFile: path.logFile,
          launch,
          maxLineBytes: MAX_LINE_BYTES,
          clockTicks,
          runTimeoutMs: RUN_TIMEOUT_MS,
        });
        results.get(path)?.push(result);
        const run = result.runs[0];
        // The raw path goes first in each round and counts the lines, which the sim prints alike every run.
        if (path.mode === 'raw') lines = run?.lines ?? 0;
        if (run) {
          process.stdout.write(
            `  ${vendor} ${round}/${options.runs} ${`${path.label}:`.padEnd(25)} ${int(lines / (run.streamMs / 1000)).padStart(8)} lines/s, ` +
              `${fixed(run.cpuUs / lines, 2)} µs CPU/line, peak RSS ${mb(run.peakRssBytes)} MB\n`,
          );
        }
      }
    }
    const rawRuns = results.get(RAW)?.flatMap((m) => m.runs) ?? [];
    if (lines === 0 || rawRuns.some((r) => r.lines !== lines)) {
      throw new BenchError(`${vendor}: the sim printed ${rawRuns.map((r) => r.lines).join(', ')} lines in the raw runs (expected one same count)`);
    }
    // The sim prints the same lines every run: the pipeline is charged the count the raw path framed.
    for (const path of paths) rows.push(toRow(vendor, path, lines, results.get(path) ?? []));
  }
  load.end = loadavg();
  printReport(options, rows, load, (Date.now() - started) / 1000);
}

// Part 4: a session's events to dashboard clients against a bare batched relay.
async function benchBroadcastPart(options: BroadcastBenchOptions, scratchDir: string): Promise<void> {
  const started = Date.now();
  const load = loadavg();
  process.stdout.write(
    `\norchestrate bench: broadcast; ${options.runs} rounds of a ${int(options.events)}-message throughput run and a ` +
      `${int(options.rate)}/s latency run, each path in turn, every run in a fresh process\n`,
  );
  const lines = await benchBroadcast(options, scratchDir, (line) => process.stdout.write(`${line}\n`));
  const end = loadavg();
  process.stdout.write(
    `${lines.join('\n')}\n\nbroadcast: ${((Date.now() - started) / 1000).toFixed(0)} s; load average (1, 5, 15 min) before ` +
      `${load.map((l) => l.toFixed(1)).join(' ')}, after ${end.map((l) => l.toFixed(1)).join(' ')}\n`,
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(SIM_MAIN)) throw new BenchError(`the simulated agent is not built (${SIM_MAIN} is missing): use npm run bench`);
  const started = Date.now();
  const load = loadavg();
  const scratchDir = trackDir(mkdtempSync(join(tmpdir(), 'orchestrate-bench-')));
  if (options.parts.has('lines')) await benchLines(options, scratchDir);
  if (options.parts.has('replay') || options.parts.has('resume')) {
    const sessionsStarted = Date.now();
    const sessionLoad = loadavg();
    process.stdout.write(
      `\norchestrate bench: sessions (${[...options.parts].filter((p) => p === 'replay' || p === 'resume').join(', ')}); ${int(options.sessionEvents)} events at the kill, ` +
        `${[options.parts.has('resume') ? `${options.sessionRuns} resume` : '', options.parts.has('replay') ? `${options.replayRuns} replay` : ''].filter(Boolean).join(' and ')} ` +
        'rounds, each after a warm-up round\n',
    );
    const lines = await benchSessions(
      {
        events: options.sessionEvents,
        runs: options.sessionRuns,
        replayRuns: options.replayRuns,
        replay: options.parts.has('replay'),
        resume: options.parts.has('resume'),
      },
      scratchDir,
      (line) => process.stdout.write(`${line}\n`),
    );
    const end = loadavg();
    process.stdout.write(
      `${lines.join('\n')}\n\nsessions: ${((Date.now() - sessionsStarted) / 1000).toFixed(0)} s; load average (1, 5, 15 min) before ` +
        `${sessionLoad.map((l) => l.toFixed(1)).join(' ')}, after ${end.map((l) => l.toFixed(1)).join(' ')}\n`,
    );
  }
  if (options.parts.has('broadcast')) await benchBroadcastPart(options.broadcast, scratchDir);
  const end = loadavg();
  process.stdout.write(
    `\nbench: ${((Date.now() - started) / 1000).toFixed(0)} s in all; load average before ${load.map((l) => l.toFixed(1)).join(' ')}, after ${end.map((l) => l.toFixed(1)).join(' ')}\n`,
  );
}

main().then(
  () => {
    cleanUp();
    process.exit(0);
  },
  (error: unknown) => {
    const message = error instanceof BenchError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`bench: failed: ${message}\n`);
    cleanUp();
    process.exit(1);
  },
);
