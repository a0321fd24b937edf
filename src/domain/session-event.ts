import type { ChannelRefusal } from './agent-channel.js';
import type { AgentEventBody, EventStamp } from './agent-event.js';
import type { AgentName } from './agents.js';
import type { AgentProbeResult, CheckpointResult, ControlCommand, ReviewDiffResult, SessionInput } from './machine-inputs.js';
import type { FailureCode } from './failure.js';
import type { RecoveryStrategy } from './recovery.js';
import type { Decision, ReviewerResult, ReviewTrigger } from './review.js';
import type { TierId } from './tiers.js';
import type { WorkerOutcome } from './worker-outcome.js';

/** What the session itself records besides its agents' events. Phase events are stamped with their worker's id. */
export type SessionEventBody =
  | { type: 'session.started'; task: string; target: string; branch: string; agents: AgentName[]; input: SessionInput }
  | { type: 'session.tierChanged'; from: TierId | null; to: TierId; reason: string }
  | { type: 'phase.started'; phaseId: string; agent: AgentName; reassignedFrom?: AgentName }
  | { type: 'phase.finished'; phaseId: string; agent: AgentName; outcome: WorkerOutcome }
  /** An agent process group was started; recorded so a later start can reap it (by group and start time, never by name). */
  | { type: 'process.spawned'; pid: number; pgid: number; startTime?: number; file: string }
  /** Inputs the machines decided on, recorded so a replay can re-drive them without agents. */
  | { type: 'session.probed'; probes: AgentProbeResult[] }
  | { type: 'phase.checkpointed'; phaseId: string; checkpoint: CheckpointResult }
  | { type: 'process.idle'; idleMs: number }
  | { type: 'control.received'; command: ControlCommand }
  /** The session was restored from a snapshot after the orchestrator was killed; replays restore it too. */
  | { type: 'session.restored'; snapshotSeq: number; snapshot: unknown; reaped: number[] }
  /** The store could not take writes (disk full): agents are paused until it can. */
  | { type: 'store.intakePaused'; reason: string }
  | { type: 'store.intakeResumed' }
  /**
   * The agent channel refused a report (a wrong or revoked secret, a malformed frame). `channel` is the worker whose
   * channel it came through, when known. The secret is never recorded.
   */
  | { type: 'channel.refused'; reason: ChannelRefusal; channel?: string }
  | { type: 'session.paused' }
  | { type: 'session.resumed' }
  /** No review has happened for the configured interval while an agent works (a machine input: replays send it). */
  | { type: 'review.due' }
  /** A review cycle began: who wrote the work, who reviews it, why now. Stamped with the review's id. */
  | { type: 'review.started'; reviewId: string; trigger: ReviewTrigger; phaseId: string; round: number; author: AgentName; authorWorkerId: string; reviewers: AgentName[] }
  /** The diff a review was shown (a machine input: replays answer with it). */
  | { type: 'review.diff'; reviewId: string; diff: ReviewDiffResult }
  /** One reviewer's result (a machine input: replays answer with it). */
  | { type: 'review.answered'; reviewId: string; agent: AgentName; result: ReviewerResult }
  /** The policy's decision, with the rule that fired. */
  | { type: 'review.decided'; reviewId: string; decision: Decision }
  /** The session waits for a person: approve to go on, deny to end it. */
  | {
      type: 'approval.requested';
      approvalId: string;
      /** `review`: a review escalated (denying ends the session); `command`: an agent's tool call waits (denying stops the agent). */
      kind?: 'review' | 'command';
      reviewId?: string;
      reason: string;
      findings: Decision['findings'];
      /** A tool call's: whose, and what it would run or write. */
      workerId?: string;
      tool?: string;
      command?: string;
      path?: string;
    }
  | { type: 'approval.answered'; approvalId: string; approve: boolean }
  /**
   * A tool call broke the safety policy. Stamped with the worker's id. `stopped` is set when the runtime killed the
   * agent's process group for it as its line was read (the worker machine hears it); absent when the violation is
   * recorded from a decision the machines already took.
   */
  | { type: 'policy.violation'; tool: string; command?: string; path?: string; rule?: string; reason: string; callId?: string; stopped?: boolean }
  /**
   * A tool call the policy says a person must approve: the agent's process group is stopped (SIGSTOP) until the
   * answer. Stamped with the worker's id; the worker's agent process takes `process.approve` / `process.deny`.
   */
  | { type: 'policy.ask'; approvalId: string; tool: string; command?: string; path?: string; rule?: string; reason: string; callId?: string }
  /**
   * An agent's process tree went over a resource limit and was stopped. Stamped with the worker's id. `value` is
   * MiB or CPU seconds as sampled; `enforcedBy` says whether the sampler stopped it or the kernel's limit did.
   */
  | { type: 'limit.exceeded'; limit: 'memory' | 'cpu'; value: number; max: number; enforcedBy?: 'sampler' | 'os' }
  /** A budget ran out: no new work starts, running agents are stopped. */
  | { type: 'budget.exceeded'; scope: 'session' | 'agent'; budget: 'tokens' | 'costUsd' | 'wallSeconds'; used: number; max: number; agent?: AgentName }
  /** A worker's recovery attempt began, answering a failure (with the CLI's own text). Stamped with the worker's id. */
  | { type: 'recovery.started'; recoveryId: string; agent: AgentName; code: FailureCode; message: string }
  /** The fix a recovery applied (a machine input: replays answer with it). Stamped with the worker's id. */
  | { type: 'recovery.applied'; recoveryId: string; strategy: RecoveryStrategy }
  /** How a recovery attempt ended, and with which strategy. Stamped with the worker's id. */
  | { type: 'recovery.finished'; recoveryId: string; status: 'recovered' | 'failed' | 'exhausted' | 'violated' | 'unavailable'; strategy: RecoveryStrategy }
  /** An agent runs without its CLI's sandbox because the user said so (policy.sandbox "off" or --allow-unsandboxed). */
  | { type: 'sandbox.off'; agent: AgentName; reason: string }
  | {
      type: 'session.finished';
      status: 'completed' | 'failed' | 'stopped';
      reason?: string;
      /** The machines' end state, which a replay of this log must reach again. */
      fingerprint?: unknown;
    };

/** What the runtime's enforcement reports about one run: machine inputs, stamped with the worker's id. */
export type RunEnforcementBody = Extract<SessionEventBody, { type: 'policy.violation' | 'policy.ask' | 'limit.exceeded' }>;

// True for the enforcement events the runtime sent a worker machine (a replay feeds them back to it): a question,
// a limit, and a violation that stopped the run.
export function isRunEnforcement(body: { type: string; stopped?: unknown }): body is RunEnforcementBody {
  if (body.type === 'policy.violation') return body.stopped === true;
  return body.type === 'policy.ask' || body.type === 'limit.exceeded';
}

/** Everything the event log holds, each stamped with a per-session sequence number. */
export type LogBody = AgentEventBody | SessionEventBody;
export type LogEntry = LogBody & EventStamp;
