import { join } from 'node:path';
import { fromCallback } from 'xstate';
import type { AgentAdapter, LaunchSpec } from '../adapters/agents/types.js';
import { spawnAgentProcess, type AgentProcessHandle } from '../adapters/process/agent-process.js';
import { createAgentEnvironment } from '../adapters/process/environment.js';
import { readProcessStartTime } from '../adapters/process/process-groups.js';
import { buildResumePrompt, isDecisive, type AgentEventBody, type AgentName } from '../domain/index.js';
import type { AgentProcessCommand, AgentProcessInput } from '../machines/slots.js';
import type { EventLog } from '../store/event-log.js';
import { classifySpawnError } from './spawn-error.js';

export interface AgentProcessDeps {
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
  /**
   * Vendor session ids of workers interrupted by a restart (workerId → id). A restored worker's
   * process actor starts again with the input it was first given, so the resume is decided here.
   */
  interrupted?: ReadonlyMap<string, string>;
}

// The launch of one run: the first one, or the continuation of an interrupted conversation.
function createLaunchSpec(input: AgentProcessInput, resumeSessionId: string | undefined): LaunchSpec {
  const { prompt, cwd, extraDirs, model, skipTrust } = input;
  if (resumeSessionId === undefined) return { prompt, cwd, extraDirs, model, skipTrust, resumeSessionId: input.resumeSessionId };
  return { prompt: buildResumePrompt(), cwd, extraDirs, model, skipTrust, resumeSessionId };
}

// Where an adapter's events go: the log always, the worker machine only when it decides on them.
function createEmitter(deps: AgentProcessDeps, workerId: string, sendBack: (event: never) => void) {
  return (body: AgentEventBody) => {
    const entry = deps.log.append(workerId, body);
    if (isDecisive(body)) sendBack(entry as never);
  };
}

// Idle deadline: only meaningful output counts; error and garbage lines (Codex's endless
// "Reconnecting...") must not keep a dead agent looking alive. Activity only moves a timestamp;
// one timer checks it, so a busy stream does not re-arm a timer per line.
function createIdleWatch(timeoutMs: number, onIdle: () => void) {
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const quiet = performance.now() - last;
    timer = quiet >= timeoutMs ? undefined : setTimeout(check, timeoutMs - quiet);
    if (!timer) onIdle();
  };
  const arm = () => {
    last = performance.now();
    timer ??= setTimeout(check, timeoutMs);
  };
  const disarm = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  return { arm, disarm };
}

const IDLE_NEUTRAL = new Set<AgentEventBody['type']>(['agent.error', 'agent.unparsed']);

// The agent process as an actor: spawns the CLI, frames and normalizes its stdout, reports to
// the worker, and obeys pause / resume / stop by signalling the process group.
export function createAgentProcessLogic(deps: AgentProcessDeps) {
  return fromCallback<AgentProcessCommand, AgentProcessInput>(({ input, sendBack, receive }) => {
    let finished = false;
    const emit = createEmitter(deps, input.workerId, (event) => !finished && sendBack(event));
    const adapter = deps.adapters[input.agent];
    const command = adapter.buildCommand(
      createLaunchSpec(input, deps.interrupted?.get(input.workerId)),
      deps.commands[input.agent] ?? adapter.defaultCommand,
    );
    const normalizer = adapter.createNormalizer();
    const idle = createIdleWatch(input.idleTimeoutMs, () => {
      if (finished) return;
      sendBack(deps.log.append(input.workerId, { type: 'process.idle', idleMs: input.idleTimeoutMs }));
    });
    const handle: AgentProcessHandle = spawnAgentProcess({
      file: command.file,
      args: command.args,
      cwd: command.cwd,
      env: createAgentEnvironment(deps.baseEnv, command.env),
      maxLineBytes: deps.maxLineBytes,
      stderrLogPath: join(deps.logDir, `${input.workerId.replace(/[^\w.-]/g, '_')}.stderr.log`),
      onLine(line) {
        for (const body of normalizer.push(line)) {
          if (!IDLE_NEUTRAL.has(body.type)) idle.arm();
          emit(body);
        }
      },
      onOversized({ bytes, preview }) {
        emit({ type: 'agent.unparsed', reason: 'oversized', line: preview, bytes });
      },
      onExit(exit) {
        idle.disarm();
        if (handle.pgid !== undefined) deps.groups?.remove(handle.pgid);
        if (exit.spawnError) emit({ type: 'agent.error', ...classifySpawnError(command.file, exit.spawnError) });
        else for (const body of normalizer.finish(exit, exit.stderrTail)) emit(body);
        emit({ type: 'agent.exited', exitCode: exit.exitCode, signal: exit.signal });
        finished = true;
      },
    });
    if (handle.pid !== undefined && handle.pgid !== undefined) {
      deps.groups?.add(handle.pgid);
      const startTime = readProcessStartTime(handle.pid);
      deps.log.append(input.workerId, { type: 'process.spawned', pid: handle.pid, pgid: handle.pgid, startTime, file: command.file });
    }
    idle.arm();

    receive((event) => {
      if (event.type === 'process.pause') {
        idle.disarm();
        handle.pause();
      } else if (event.type === 'process.resume') {
        handle.resume();
        idle.arm();
      } else {
        idle.disarm();
        void handle.stop(deps.stopGraceMs);
      }
    });
    return () => {
      idle.disarm();
      if (!finished) void handle.stop(deps.stopGraceMs);
      finished = true;
    };
  });
}
