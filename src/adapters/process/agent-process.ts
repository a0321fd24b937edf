import { spawn, type ChildProcess } from 'node:child_process';
import type { ProcessExit } from '../agents/types.js';
import { createLineFramer, type OversizedLine } from './line-framer.js';
import { signalGroup } from './process-groups.js';
import { createStderrSink } from './stderr-sink.js';

/** Why a process could not be started at all (missing binary, no execute permission, bad cwd). */
export interface SpawnError {
  /** The errno code, e.g. ENOENT or EACCES. */
  code: string;
  message: string;
}

/** How an agent process ended; reported exactly once, after its stdout was fully read. */
export interface AgentProcessExit extends ProcessExit {
  /** The last ~8 KB of stderr (the whole of it is in the log file). */
  stderrTail: string;
  /** Set when the process never started; exitCode and signal are then null. */
  spawnError?: SpawnError;
}

/** What to run and where its output goes. */
export interface AgentProcessOptions {
  file: string;
  args: string[];
  cwd: string;
  /** The complete environment of the child: nothing is inherited from ours. */
  env: Record<string, string>;
  maxLineBytes: number;
  /** stderr is appended here; missing parent directories are created. */
  stderrLogPath: string;
  onLine(line: string): void;
  onOversized(info: OversizedLine): void;
  onExit(exit: AgentProcessExit): void;
}

/** A running agent process and its process group. */
export interface AgentProcessHandle {
  readonly pid: number | undefined;
  /** Equal to pid: the child leads its own group. Undefined when the spawn failed. */
  readonly pgid: number | undefined;
  /** Milliseconds since the epoch, taken just before the spawn. */
  readonly startedAt: number;
  pause(): void;
  resume(): void;
  /** SIGTERM to the group, SIGKILL after graceMs; resolves once the process has exited. */
  stop(graceMs: number): Promise<void>;
  kill(): void;
  readonly exited: Promise<AgentProcessExit>;
}

// How long to wait, after the leader exited, for a process outside the group to let go of the pipes.
const DRAIN_LIMIT_MS = 2_000;

// Spawns a child in its own process group with stdin on /dev/null (Codex blocks forever on an
// open stdin), frames its stdout into lines and streams its stderr to a log. Never throws on a
// failed spawn: onExit reports it.
export function spawnAgentProcess(options: AgentProcessOptions): AgentProcessHandle {
  const startedAt = Date.now();
  const framer = createLineFramer(options);
  const stderr = createStderrSink(options.stderrLogPath);
  let status: ProcessExit = { exitCode: null, signal: null };
  let finished = false;
  let resolveExited: (exit: AgentProcessExit) => void = () => {};
  const exited = new Promise<AgentProcessExit>((resolve) => (resolveExited = resolve));

  const finish = async (spawnError?: SpawnError): Promise<void> => {
    if (finished) return;
    finished = true;
    framer.end();
    const stderrTail = await stderr.close();
    const exit: AgentProcessExit = spawnError ? { ...status, stderrTail, spawnError } : { ...status, stderrTail };
    try {
      options.onExit(exit);
    } finally {
      resolveExited(exit);
    }
  };

  let child: ChildProcess;
  try {
    child = spawn(options.file, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // Node throws synchronously for some errors (ENOTDIR cwd, NUL bytes in an argument).
    void finish(toSpawnError(error));
    return createHandle(undefined, startedAt, exited, () => true);
  }

  const pgid = child.pid;
  let leaderExited = false;
  child.stdout?.on('data', (chunk: Buffer) => framer.push(chunk));
  if (child.stderr) stderr.attach(child.stderr);
  child.on('error', (error) => {
    // Spawn failures (ENOENT, EACCES) arrive here; other errors concern kill(), which we do not use.
    if (child.pid === undefined) void finish(toSpawnError(error));
  });
  child.on('exit', (exitCode, signal) => {
    status = { exitCode, signal };
    leaderExited = true;
    // Background jobs the agent left in its group must not outlive the run.
    if (pgid !== undefined) signalGroup(pgid, 'SIGKILL');
    const drain = setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, DRAIN_LIMIT_MS);
    child.once('close', () => clearTimeout(drain));
  });
  child.on('close', () => {
    if (child.pid !== undefined) void finish();
  });
  return createHandle(pgid, startedAt, exited, () => leaderExited);
}

function createHandle(
  pgid: number | undefined,
  startedAt: number,
  exited: Promise<AgentProcessExit>,
  isGone: () => boolean,
): AgentProcessHandle {
  // Once the leader has exited its pid may be reused: never signal the group again.
  const signal = (sig: NodeJS.Signals): void => {
    if (pgid !== undefined && !isGone()) signalGroup(pgid, sig);
  };
  let stopping: Promise<void> | undefined;
  const stopGroup = async (graceMs: number): Promise<void> => {
    signal('SIGTERM');
    // A paused group only handles the SIGTERM once it is continued.
    signal('SIGCONT');
    const escalate = setTimeout(() => signal('SIGKILL'), graceMs);
    await exited;
    clearTimeout(escalate);
  };
  return {
    pid: pgid,
    pgid,
    startedAt,
    exited,
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    kill: () => signal('SIGKILL'),
    stop: (graceMs) => (stopping ??= stopGroup(graceMs)),
  };
}

function toSpawnError(error: unknown): SpawnError {
  const { code, message } = error as NodeJS.ErrnoException;
  return { code: code ?? 'ESPAWN', message: message ?? String(error) };
}
