// The jobs the coordinator gives a session runner (bench/session-runner.ts), and what it reports.
import type { AgentName } from '../src/domain/index.js';

/** Where a real session runs: a git repository (the target) and the workspace holding its database. */
export interface SessionPlace {
  target: string;
  workspace: string;
}

interface JobBase {
  /** The coordinator's temporary directory: removed by a runner left without its coordinator. */
  scratchDir: string;
  /** Bound of the session, start to end; the runner fails when it is missed. */
  timeoutMs: number;
}

/**
 * Runs a real session on simulated agents (each vendor's sim running `scenarioFile`) with the
 * default three-phase plan, or `phase` alone. With killAtSeq the runner reports `reached` once that
 * many events are committed, and the coordinator SIGKILLs it.
 */
export interface RecordJob extends JobBase, SessionPlace {
  mode: 'record';
  task: string;
  scenarioFile: string;
  killAtSeq?: number;
}

/** Reads each session's events and times readEvents, JSON.stringify of every event, and replaySession. */
export interface ReplayJob extends JobBase {
  mode: 'replay';
  sessions: { label: string; dbPath: string; sessionId: string }[];
  /** Measured rounds after a warm-up round; each round times the three interleaved. */
  rounds: number;
}

/**
 * The baselines of a resume: open the database, read the last seq and the latest snapshot. Then,
 * apart, two parts of a resume alone: the watchdog's start, and the agent's: its sim started as its
 * adapter starts it, until its first stdout line.
 */
export interface OpenJob extends JobBase {
  mode: 'open';
  workspace: string;
  sessionId: string;
  agent: AgentName;
  /** The short scenario the agent runs, and where. */
  scenarioFile: string;
  cwd: string;
}

/** resumeSession() on an interrupted session, timed until it is running again and until it ends. */
export interface ResumeJob extends JobBase {
  mode: 'resume';
  workspace: string;
  sessionId: string;
}

/** A fresh startSession on an empty workspace: one phase, timed to the first agent event and to the end. */
export interface FreshJob extends JobBase, SessionPlace {
  mode: 'fresh';
  task: string;
  scenarioFile: string;
  /** The id of the default plan's phase to run alone. */
  phaseId: string;
}

export type SessionJob = RecordJob | ReplayJob | OpenJob | ResumeJob | FreshJob;

/** One session's replay measurement: milliseconds per round. */
export interface ReplayRow {
  label: string;
  events: number;
  /** Events that reach the machines in a replay (decisive agent events, idle notices, probes, checkpoints, restores). */
  machineEvents: number;
  restores: number;
  /** Size of the events as stored JSON. */
  bytes: number;
  readMs: number[];
  stringifyMs: number[];
  replayMs: number[];
  /** CPU time (user + system) of the runner during each replay. */
  replayCpuMs: number[];
}

export interface Opened {
  /** openWorkspaceStore: open, WAL, schema check. */
  openMs: number;
  lastSeqMs: number;
  snapshotMs: number;
  totalMs: number;
  lastSeq: number;
  snapshotSeq: number;
  snapshotBytes: number;
  /** startWatchdog() alone: spawn to ready. */
  watchdogMs: number;
  /** Spawn of the agent (its sim) to its first stdout line. */
  agentFirstLineMs: number;
}

export interface Resumed {
  /** resumeSession() returned: the database read, leftovers reaped, the watchdog up, the machines built. */
  returnedMs: number;
  /** session.restored committed (start() appends it, then the machines start). */
  restoredMs: number;
  /** The relaunched agent's first event committed. */
  firstAgentMs: number;
  /** The session ended and its summary was written. */
  doneMs: number;
  status: string;
  /** Events stored before the resume, and the seq of the snapshot it restored. */
  startSeq: number;
  snapshotSeq: number;
  reaped: number;
  endSeq: number;
  /** From the events' own time stamps: session.restored to process.spawned, process.spawned to the agent's first event. */
  restoreToSpawnMs: number;
  spawnToFirstEventMs: number;
  /** The agent's first event, from its time stamp to the listener hearing it (the writer's batching and commit). */
  commitLagMs: number;
}

export interface Fresh {
  /** startSession() returned: the worktree made, the session recorded, the watchdog up. */
  returnedMs: number;
  /** session.probed committed: every agent answered --version. */
  probedMs: number;
  firstAgentMs: number;
  doneMs: number;
  status: string;
}

export type SessionMessage =
  | { type: 'reached'; sessionId: string; seq: number; phaseId?: string }
  | { type: 'recorded'; sessionId: string; status: string; lastSeq: number; ms: number }
  | { type: 'replayed'; rows: ReplayRow[] }
  | { type: 'opened'; opened: Opened }
  | { type: 'resumed'; resumed: Resumed }
  | { type: 'fresh'; fresh: Fresh }
  | { type: 'group'; pgid: number }
  | { type: 'ungroup'; pgid: number }
  | { type: 'failed'; message: string };
