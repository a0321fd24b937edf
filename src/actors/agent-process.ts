import { fromCallback } from 'xstate';
import { join } from 'node:path';
import type { LaunchPolicy, LaunchSpec } from '../adapters/agents/types.js';
import { buildResumePrompt, isDecisive, REPORT_EVENT_TYPES, type AgentEventBody } from '../domain/index.js';
import type { AgentProcessCommand, AgentProcessInput } from '../machines/slots.js';
import { getAgentCommand, startAgentRun, type AgentRunDeps } from './agent-run.js';
import { buildChannelLaunch, type WorkerChannels } from './channel-launch.js';

export interface AgentProcessDeps extends AgentRunDeps {
  /**
   * Vendor session ids of workers interrupted by a restart (workerId → id). A restored worker's
   * process actor starts again with the input it was first given, so the resume is decided here.
   */
  interrupted?: ReadonlyMap<string, string>;
  /** The agent channel: each run gets the orchestrator's MCP server, its reports become the worker's events. */
  channels?: WorkerChannels;
  /** The session's policy as each CLI's own flags take it; `unsandboxed` for an agent the user let run without its sandbox. */
  launchPolicy?: (unsandboxed: boolean) => LaunchPolicy;
  /** Where each run's generated files (settings, policy rules) go, a directory per worker. */
  filesDir?: string;
}

// The launch of one run: the first one, or the continuation of an interrupted conversation; with
// the session's policy for the CLI's own flags.
function createLaunchSpec(deps: AgentProcessDeps, input: AgentProcessInput, resumeSessionId: string | undefined): LaunchSpec {
  const { prompt, cwd, extraDirs, model, skipTrust } = input;
  const policy = deps.launchPolicy?.(input.unsandboxed === true);
  const guarded = policy ? { policy, ...(deps.filesDir ? { filesDir: join(deps.filesDir, input.workerId.replace(/[^\w.-]/g, '_')) } : {}) } : {};
  if (resumeSessionId === undefined) return { prompt, cwd, extraDirs, model, skipTrust, resumeSessionId: input.resumeSessionId, ...guarded };
  return { prompt: buildResumePrompt(), cwd, extraDirs, model, skipTrust, resumeSessionId, ...guarded };
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
    const launch = buildChannelLaunch({
      adapter,
      spec: createLaunchSpec(deps, input, deps.interrupted?.get(input.workerId)),
      executable: getAgentCommand(deps, input.agent),
      workerId: input.workerId,
      baseEnv: deps.baseEnv,
      channels: deps.channels,
      onReport: (kind, text) => emit({ type: REPORT_EVENT_TYPES[kind], text, via: 'mcp' }),
    });
    const { command } = launch;
    const idle = createIdleWatch(input.idleTimeoutMs, () => {
      if (finished) return;
      sendBack(deps.log.append(input.workerId, { type: 'process.idle', idleMs: input.idleTimeoutMs }));
    });
    const handle = startAgentRun(deps, {
      workerId: input.workerId,
      command,
      normalizer: adapter.createNormalizer(),
      canAsk: true,
      onEvent(body) {
        if (!IDLE_NEUTRAL.has(body.type)) idle.arm();
        emit(body);
      },
      // Enforcement is logged by the run's guard; the worker decides on it.
      onEnforcement: (entry) => !finished && sendBack(entry as never),
      // A stopped group cannot make output: it is not stalled while a pause or a question holds it.
      onHeld: (held) => (held ? idle.disarm() : idle.arm()),
      onExit() {
        // The events of the exit itself re-armed the watch: disarm it for good.
        idle.disarm();
        finished = true;
        // Nothing may report for a run that is over; its MCP server may outlive the CLI for a moment.
        launch.close();
      },
    });
    idle.arm();

    receive((event) => {
      if (event.type === 'process.pause') handle.pause();
      else if (event.type === 'process.resume') handle.resume();
      else if (event.type === 'process.approve' || event.type === 'process.deny') handle.answer(event.approvalId, event.type === 'process.approve');
      else {
        idle.disarm();
        void handle.stop(deps.stopGraceMs);
      }
    });
    return () => {
      idle.disarm();
      if (!finished) void handle.stop(deps.stopGraceMs);
      finished = true;
      launch.close();
    };
  });
}
