import { randomUUID } from 'node:crypto';
import type { AgentProcessExit, AgentProcessHandle } from '../adapters/process/agent-process.js';
import { classifyLimitExit, type LimitBreach, type ResourceLimits } from '../adapters/process/limit-breach.js';
import type { GroupWatch, LimitSampler } from '../adapters/process/limit-sampler.js';
import { wrapWithOsLimits, type Command } from '../adapters/process/os-limits.js';
import type { AgentEventBody, AgentEventOf, EventStamp, PolicyVerdict, RunEnforcementBody, ToolCallChecker } from '../domain/index.js';
import type { EventLog } from '../store/event-log.js';
import { createGroupHolds, type GroupHolds } from './group-holds.js';

/** Resource limits on every run's process tree, and how they are enforced. */
export interface RunLimits extends ResourceLimits {
  /** Samples each group's memory and CPU and reports the limit it goes over. */
  sampler: LimitSampler;
  /** util-linux prlimit, to set the kernel's own limits at spawn; without it only the sampler enforces them. */
  prlimit?: string;
}

/** What enforcement needs from the actors' deps. */
export interface RunGuardDeps {
  log: EventLog;
  /** Decides each tool call the run reports; without one, tool calls are not checked. */
  checker?: ToolCallChecker;
  limits?: RunLimits;
}

/** The run being guarded, and who hears about what the guard does. */
export interface GuardedRun {
  workerId: string;
  /** A person can be asked about this run's tool calls; otherwise an `ask` is refused like a `deny`. */
  canAsk?: boolean;
  /** A violation, a question for a person, or a limit: called once it is logged. */
  onEnforcement?(entry: RunEnforcement): void;
  /** The group was stopped (true) or continued (false) by a pause or a pending question. */
  onHeld?(held: boolean): void;
}

export type RunEnforcement = RunEnforcementBody & EventStamp;

/** An agent process whose pause, resume and questions go through the guard. */
export interface AgentRunHandle extends AgentProcessHandle {
  /** Answers a `policy.ask`: approval continues the group (unless a pause still holds it), denial kills it. False for an unknown id. */
  answer(approvalId: string, approve: boolean): boolean;
}

type ToolCall = AgentEventOf<'agent.toolCall'>;

/** Enforcement of one run: the tool-call check (defence layer 4) and the resource limits (layer 3). */
export interface RunGuard {
  /** The command under the kernel's limits, when there are limits and prlimit. */
  wrap(command: Command, where: { cwd: string; env: Record<string, string> }): Command;
  /** Watches the spawned group; the handle returned is the one callers use. */
  attach(handle: AgentProcessHandle): AgentRunHandle;
  /** Checks one event of the run, after it was emitted. */
  inspect(body: AgentEventBody): void;
  /** At the exit, before the run's last events: records a limit the kernel enforced. */
  end(exit: AgentProcessExit): void;
}

const NO_USAGE = { memoryMb: 0, cpuSeconds: 0, members: 0 };

// Creates the guard of one run. A denied tool call kills the whole group at once (SIGKILL: the agent
// already tried something forbidden) and records `policy.violation`; an `ask` stops the group with
// SIGSTOP and records `policy.ask` until answered; a limit kills the group and records `limit.exceeded`.
export function createRunGuard(deps: RunGuardDeps, run: GuardedRun): RunGuard {
  const { checker, limits } = deps;
  const pending = new Map<string, { call: ToolCall; verdict: PolicyVerdict }>();
  let handle: AgentProcessHandle | undefined;
  let holds: GroupHolds | undefined;
  let watch: GroupWatch | undefined;
  // Once the guard or the caller ended the run, its exit is nobody else's to explain.
  let stoppedByGuard = false;
  let stoppedByCaller = false;

  const report = (body: RunEnforcementBody) => run.onEnforcement?.(deps.log.append(run.workerId, body));
  const stopFor = (body: RunEnforcementBody) => {
    if (stoppedByGuard) return;
    stoppedByGuard = true;
    watch?.stop();
    handle?.kill();
    report(body);
  };
  const ask = (call: ToolCall, verdict: PolicyVerdict) => {
    const approvalId = randomUUID();
    pending.set(approvalId, { call, verdict });
    holds?.hold(approvalId);
    report({ type: 'policy.ask', approvalId, ...describeCall(call, verdict), reason: verdict.reason });
  };

  return {
    wrap(command, where) {
      if (!limits?.prlimit) return command;
      return wrapWithOsLimits(limits.prlimit, command, limits, where);
    },
    attach(spawned) {
      handle = spawned;
      holds = createGroupHolds(spawned, run.onHeld);
      if (limits && spawned.pgid !== undefined) watch = limits.sampler.watch(spawned.pgid, limits, (breach) => stopFor(toLimitBody(breach)));
      return createRunHandle(spawned, holds, {
        onStop: () => (stoppedByCaller = true),
        answer(approvalId, approve) {
          const asked = pending.get(approvalId);
          if (!asked || stoppedByGuard) return false;
          pending.delete(approvalId);
          if (approve) holds?.release(approvalId);
          else stopFor(toViolation(asked.call, asked.verdict, `a person denied it: ${asked.verdict.reason}`));
          return true;
        },
      });
    },
    inspect(body) {
      if (body.type !== 'agent.toolCall' || !checker || stoppedByGuard) return;
      const verdict = decide(checker, body);
      if (verdict.decision === 'allow') return;
      if (verdict.decision === 'ask' && run.canAsk) ask(body, verdict);
      else stopFor(toViolation(body, verdict, verdict.decision === 'ask' ? `${verdict.reason} (nobody can approve it in this run)` : verdict.reason));
    },
    end(exit) {
      watch?.stop();
      pending.clear();
      if (!limits || stoppedByGuard || stoppedByCaller || exit.spawnError) return;
      const breach = classifyLimitExit(exit, limits, watch?.peak ?? NO_USAGE);
      if (!breach) return;
      stoppedByGuard = true;
      report(toLimitBody(breach));
    },
  };
}

// The handle callers use: a person's pause is one more hold on the group, and a stop or kill by
// the caller is noted so that the exit it causes is not taken for a limit.
function createRunHandle(
  spawned: AgentProcessHandle,
  holds: GroupHolds,
  hooks: { onStop(): void; answer: AgentRunHandle['answer'] },
): AgentRunHandle {
  return {
    pid: spawned.pid,
    pgid: spawned.pgid,
    startedAt: spawned.startedAt,
    exited: spawned.exited,
    pause: () => holds.hold('pause'),
    resume: () => holds.release('pause'),
    stop(graceMs) {
      hooks.onStop();
      return spawned.stop(graceMs);
    },
    kill() {
      hooks.onStop();
      spawned.kill();
    },
    answer: hooks.answer,
  };
}

// The checker's verdict; a checker that throws denies (fail closed), and the agent's output never takes the orchestrator down.
function decide(checker: ToolCallChecker, call: ToolCall): PolicyVerdict {
  try {
    return checker({ tool: call.tool, kind: call.kind, command: call.command, path: call.path });
  } catch (error) {
    return { decision: 'deny', rule: 'policy error', reason: `the policy could not decide on this call: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function toViolation(call: ToolCall, verdict: PolicyVerdict, reason: string): RunEnforcementBody {
  return { type: 'policy.violation', ...describeCall(call, verdict), reason, stopped: true };
}

function toLimitBody(breach: LimitBreach): RunEnforcementBody {
  return { type: 'limit.exceeded', ...breach };
}

// The facts of a call and the rule that matched, without absent fields: the event reads back from the log the same.
function describeCall(call: ToolCall, verdict: PolicyVerdict) {
  const { tool, command, path, callId } = call;
  const facts = { tool, command, path, callId, rule: verdict.rule };
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined)) as typeof facts;
}
