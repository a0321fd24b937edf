import type { AgentName } from '../src/domain/index.js';

/** Which path a runner measures: the raw baseline or the whole orchestrator pipeline. */
export type BenchMode = 'raw' | 'pipeline';

/** The exact child the sim runs as: both paths spawn it identically. */
export interface SimCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

/** One sim run: how many assistant messages its scenario prints (an `events` step), and how it is started. */
export interface SimRun {
  count: number;
  /** The sim's own leading command (node, main.js, --vendor, --scenario <file>, --): the pipeline's agent command. */
  simLead: string[];
  /** The full command line the adapter builds from simLead; the raw path spawns exactly this. */
  command: SimCommand;
}

/** What the coordinator asks one runner process to measure (passed as JSON in argv). */
export interface BenchJob {
  mode: BenchMode;
  vendor: AgentName;
  /** A shorter run first, not reported: it warms up the JIT, the file cache and the sim's start. */
  warmup: SimRun;
  measured: SimRun;
  /** Measured runs after the warm-up. */
  runs: number;
  /** A scratch directory of this job: stderr logs, the event log file when logFile is set. */
  workDir: string;
  /** The coordinator's temporary directory (workDir is inside): removed by a runner left without its coordinator. */
  scratchDir: string;
  /** Append the event log to a JSONL file in workDir instead of keeping it in memory only. */
  logFile: boolean;
  /** What the worker asks the agent to do; each `command` was built from it by the adapter. */
  launch: { prompt: string; cwd: string; skipTrust: boolean };
  maxLineBytes: number;
  /** Clock ticks per second of /proc CPU times (getconf CLK_TCK). */
  clockTicks: number;
  /** Bound of one run, from spawn to done. */
  runTimeoutMs: number;
}

/** What one measured run produced. */
export interface RunResult {
  /** Lines the framer delivered (raw) or that the sim is known to print (pipeline: the raw count is used). */
  lines: number;
  /** agent.message events (pipeline) or assistant lines recognised (raw); must equal count. */
  messages: number;
  /** First stdout line to the end of the stream (the process-exit callback). */
  streamMs: number;
  /** Spawn to done (pipeline: the worker machine final and the log closed). */
  wallMs: number;
  /** process.cpuUsage() of the runner over the run (user + system), µs. */
  cpuUs: number;
  /** CPU time of the sim child (reaped children's utime + stime from /proc), µs; undefined without /proc. */
  simCpuUs?: number;
  /** Highest sampled RSS and V8 heapUsed during the run, bytes. */
  peakRssBytes: number;
  peakHeapBytes: number;
  /** Events appended to the log (pipeline only). */
  events?: number;
  /** Events the worker machine received (pipeline only). */
  machineEvents?: number;
  /** The worker's final status (pipeline only). */
  outcome?: string;
  /** Size of the event log file (pipeline with logFile only). */
  logBytes?: number;
}

/** Messages a runner sends to the coordinator over IPC. */
export type RunnerMessage =
  | { type: 'group'; pgid: number }
  | { type: 'ungroup'; pgid: number }
  | { type: 'result'; runs: RunResult[]; baselineRssBytes: number }
  | { type: 'failed'; message: string };
