import { join } from 'node:path';
import type { AgentAdapter, CommandLine, StreamNormalizer } from '../adapters/agents/types.js';
import { spawnAgentProcess, type AgentProcessExit } from '../adapters/process/agent-process.js';
import { writeCommandFiles } from '../adapters/process/command-files.js';
import { createAgentEnvironment } from '../adapters/process/environment.js';
import { readProcessStartTime } from '../adapters/process/process-groups.js';
import type { AgentEventBody, AgentName } from '../domain/index.js';
import type { EventLog } from '../store/event-log.js';
import { createRunGuard, type AgentRunHandle, type GuardedRun, type RunGuardDeps } from './run-guard.js';
import { classifySpawnError } from './spawn-error.js';

/** What every actor that runs an agent CLI is given; `checker` and `limits` enforce the safety policy on each run. */
export interface AgentRunDeps extends RunGuardDeps {
  adapters: Record<AgentName, AgentAdapter>;
  /** The executable (and leading args) per agent; the adapter's default when absent. */
  commands: Partial<Record<AgentName, readonly string[]>>;
  log: EventLog;
  /** The orchestrator's environment; each agent gets a scrubbed copy of it. */
  baseEnv: NodeJS.ProcessEnv;
  maxLineBytes: number;
  stopGraceMs: number;
  /** Where each worker's stderr log goes. */
  logDir: string;
  /** Told about every process group, so none outlives the orchestrator. */
  groups?: { add(pgid: number): void; remove(pgid: number): void };
}

/** One run of an agent command, and where its events go. */
export interface AgentRun extends GuardedRun {
  command: CommandLine;
  normalizer: StreamNormalizer;
  /** Every normalized event in order; the last one is agent.exited. */
  onEvent(body: AgentEventBody): void;
  /** Called once, after the last event. */
  onExit?(exit: AgentProcessExit): void;
}

// The executable (and leading args) an agent is started with.
export function getAgentCommand(deps: AgentRunDeps, agent: AgentName): readonly string[] {
  return deps.commands[agent] ?? deps.adapters[agent].defaultCommand;
}

// A worker id as a file name: `review:1:codex` → `review_1_codex`.
export function toFileName(workerId: string): string {
  return workerId.replace(/[^\w.-]/g, '_');
}

// Where a worker's stderr is kept: one file per worker id.
function getStderrLogPath(logDir: string, workerId: string): string {
  return join(logDir, `${toFileName(workerId)}.stderr.log`);
}

// Starts one agent command in its own process group: writes the files it reads, frames and
// normalizes its stdout into onEvent, and records the group (in the log, and with the watchdog)
// so that it never outlives the orchestrator. The run's guard checks each tool call as its line is
// read and holds the group to its resource limits.
export function startAgentRun(deps: AgentRunDeps, run: AgentRun): AgentRunHandle {
  const { workerId, command, normalizer, onEvent } = run;
  writeCommandFiles(command.files);
  const env = createAgentEnvironment(deps.baseEnv, command.env);
  const guard = createRunGuard(deps, run);
  const launched = guard.wrap({ file: command.file, args: command.args }, { cwd: command.cwd, env });
  const spawned = spawnAgentProcess({
    file: launched.file,
    args: launched.args,
    cwd: command.cwd,
    env,
    maxLineBytes: deps.maxLineBytes,
    stderrLogPath: getStderrLogPath(deps.logDir, workerId),
    onLine(line) {
      for (const body of normalizer.push(line)) {
        onEvent(body);
        guard.inspect(body);
      }
    },
    onOversized({ bytes, preview }) {
      onEvent({ type: 'agent.unparsed', reason: 'oversized', line: preview, bytes });
    },
    onExit(exit) {
      if (spawned.pgid !== undefined) deps.groups?.remove(spawned.pgid);
      guard.end(exit);
      const ending: AgentEventBody[] = exit.spawnError
        ? [{ type: 'agent.error', ...classifySpawnError(command.file, exit.spawnError) }]
        : normalizer.finish(exit, exit.stderrTail);
      for (const body of ending) onEvent(body);
      onEvent({ type: 'agent.exited', exitCode: exit.exitCode, signal: exit.signal });
      run.onExit?.(exit);
    },
  });
  const handle = guard.attach(spawned);
  if (handle.pid !== undefined && handle.pgid !== undefined) {
    deps.groups?.add(handle.pgid);
    const startTime = readProcessStartTime(handle.pid);
    deps.log.append(workerId, { type: 'process.spawned', pid: handle.pid, pgid: handle.pgid, startTime, file: command.file });
  }
  return handle;
}
