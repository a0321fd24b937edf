import type { AgentName } from './agents.js';
import type { Plan } from './plan.js';
import type { RestartIntensity } from './recovery.js';
import type { ReviewFileStat, UnresolvedAction } from './review.js';

/** Availability of an agent, found by running its binary. */
export interface AgentProbeResult {
  agent: AgentName;
  available: boolean;
  version?: string;
  /** Why the agent is unavailable, in words a person can act on. */
  reason?: string;
  /** Set when the agent runs without its CLI's sandbox because the policy allows it: why (see sandbox.ts). */
  unsandboxed?: string;
}

/** A checkpoint commit after a phase. */
export interface CheckpointResult {
  sha: string | null;
  changed: boolean;
  files: string[];
}

/** The work a review was shown: the exact diff since the last checkpoint, bounded. */
export interface ReviewDiffResult {
  text: string;
  truncated: boolean;
  files: ReviewFileStat[];
}

/** A person's command to the session, from the terminal or the dashboard. */
export type ControlCommand =
  | { type: 'session.pause' }
  | { type: 'session.resume' }
  | { type: 'session.stop' }
  | { type: 'worker.control'; workerId: string; command: 'worker.pause' | 'worker.resume' | 'worker.stop' }
  | { type: 'review.request'; note?: string }
  | { type: 'approval.answer'; approvalId: string; approve: boolean };

/** Where and how a session's workers run; fixed for the session. */
export interface WorkerSettings {
  cwd: string;
  extraDirs: string[];
  models: Partial<Record<AgentName, string>>;
  idleTimeoutMs: number;
  wallTimeoutMs: number;
  /**
   * Skip the CLIs' own trust gates (Gemini's folder trust, Codex's git check): the worktree is one the
   * orchestrator made for this session, and a fresh one can never have been trusted by hand.
   */
  trustWorktree?: boolean;
  /** The commit the session's branch starts from: the first review's diff starts there. */
  baseSha?: string;
  /** How workers recover from failures; absent in sessions recorded before recovery existed. */
  recovery?: WorkerRecoverySettings;
}

/** How a worker recovers from a failure. */
export interface WorkerRecoverySettings {
  /** Recovery attempts a worker may make. */
  maxAttempts: number;
  intensity: RestartIntensity;
  /** The first backoff before a retry; each attempt doubles it. */
  backoffMs: number;
  /** Where the policy lets agents write (absolute): a denied write there is opened, elsewhere it is a violation. */
  allowedRoots: string[];
}

/** How review cycles run in a session; fixed for the session. */
export interface ReviewSettings {
  enabled: boolean;
  maxRounds: number;
  reviewerTimeoutMs: number;
  /** A review runs when none has for this long while an agent works; 0 = never. */
  intervalMs: number;
  onUnresolved: UnresolvedAction;
}

/** Everything a session machine starts from; recorded with the session so it can be replayed. */
export interface SessionInput {
  sessionId: string;
  task: string;
  plan: Plan;
  agents: AgentName[];
  workers: WorkerSettings;
  /** Absent in sessions recorded before reviews existed: they replay without them. */
  review?: ReviewSettings;
  /** After a policy violation stops an agent: go on with the others (the tier drops), or fail the session. */
  onViolation?: 'fallback' | 'fail';
}
