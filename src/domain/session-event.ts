import type { AgentEventBody, EventStamp } from './agent-event.js';
import type { AgentName } from './agents.js';
import type { AgentProbeResult, CheckpointResult, ControlCommand, SessionInput } from './machine-inputs.js';
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
  | { type: 'session.paused' }
  | { type: 'session.resumed' }
  | {
      type: 'session.finished';
      status: 'completed' | 'failed' | 'stopped';
      reason?: string;
      /** The machines' end state, which a replay of this log must reach again. */
      fingerprint?: unknown;
    };

/** Everything the event log holds, each stamped with a per-session sequence number. */
export type LogBody = AgentEventBody | SessionEventBody;
export type LogEntry = LogBody & EventStamp;
