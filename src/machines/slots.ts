import { fromCallback, fromPromise } from 'xstate';
import type {
  AgentEvent,
  AgentName,
  AgentProbeResult,
  CheckpointResult,
  EventStamp,
  RecoveryStrategy,
  ReviewDiffResult,
  ReviewerResult,
  RunEnforcementBody,
} from '../domain/index.js';

/*
 * Typed slots for the actors that do I/O. Machines name them in setup({ actors }) and the
 * composition root fills them with machine.provide({ actors }); tests fill them with fakes.
 * An unfilled slot fails loudly instead of pretending to work.
 */

/** What a worker asks its agent process actor to start. Serializable, so snapshots can hold it. */
export interface AgentProcessInput {
  sessionId: string;
  workerId: string;
  agent: AgentName;
  prompt: string;
  cwd: string;
  extraDirs: string[];
  model?: string;
  resumeSessionId?: string;
  skipTrust?: boolean;
  /** No meaningful output for this long means the agent is stalled. */
  idleTimeoutMs: number;
  /** The agent runs without its CLI's sandbox, because the user allowed it (recorded as `sandbox.off`). */
  unsandboxed?: boolean;
}

/** Commands the worker sends to its agent process. */
export type AgentProcessCommand =
  | { type: 'process.pause' }
  | { type: 'process.resume' }
  | { type: 'process.stop' }
  /** A person approved the tool call of a `policy.ask`: the group runs again (unless a pause still holds it). */
  | { type: 'process.approve'; approvalId: string }
  /** A person denied it: the group is killed and a `policy.violation` is reported. */
  | { type: 'process.deny'; approvalId: string };

/**
 * What the agent process actor reports: decisive agent events, the idle notice, and the runtime's
 * enforcement (`policy.violation`, `policy.ask`, `limit.exceeded`), each as it was logged.
 */
export type AgentProcessReport = AgentEvent | { type: 'process.idle'; idleMs: number } | (RunEnforcementBody & EventStamp);

function unfilled(name: string): never {
  throw new Error(`the ${name} actor is provided at the composition root`);
}

export const agentProcessSlot = fromCallback<AgentProcessCommand, AgentProcessInput>(() => unfilled('agentProcess'));

/** Availability of each agent, found by running its binary. */
export type AgentProbe = AgentProbeResult;

export const probeAgentsSlot = fromPromise<AgentProbe[], { agents: AgentName[] }>(async () => unfilled('probeAgents'));

/** A checkpoint commit after a phase. */
export type Checkpoint = CheckpointResult;

export const commitCheckpointSlot = fromPromise<Checkpoint, { sessionId: string; phaseId: string; message: string }>(
  async () => unfilled('commitCheckpoint'),
);

/** What a review asks one reviewer: a one-shot, read-only run on the worktree. */
export interface ReviewCallInput {
  sessionId: string;
  reviewId: string;
  agent: AgentName;
  prompt: string;
  cwd: string;
  extraDirs: string[];
  model?: string;
  skipTrust?: boolean;
  /** The reviewer's own deadline: past it the call ends as timed_out. */
  deadlineMs: number;
}

/** One reviewer's call; it never rejects for the agent's failure, it reports it in the result. */
export const reviewCallSlot = fromPromise<ReviewerResult, ReviewCallInput>(async () => unfilled('reviewCall'));

/** Which work a review is shown: the worktree now, against the commit the work started from. */
export interface ReviewDiffInput {
  sessionId: string;
  reviewId: string;
  cwd: string;
  /** The commit the work under review started from; null = the session's base. */
  base: string | null;
}

export type ReviewDiff = ReviewDiffResult;

export const reviewDiffSlot = fromPromise<ReviewDiff, ReviewDiffInput>(async () => unfilled('reviewDiff'));

/** A recovery's fix, carried out: the directory created, the backoff waited. */
export interface RecoveryFixInput {
  sessionId: string;
  workerId: string;
  recoveryId: string;
  strategy: RecoveryStrategy;
}

export const applyRecoveryFixSlot = fromPromise<{ applied: true }, RecoveryFixInput>(async () => unfilled('applyRecoveryFix'));
