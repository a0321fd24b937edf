import { fromCallback, fromPromise } from 'xstate';
import type { AgentEvent, AgentName, AgentProbeResult, CheckpointResult } from '../domain/index.js';

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
}

/** Commands the worker sends to its agent process. */
export type AgentProcessCommand =
  | { type: 'process.pause' }
  | { type: 'process.resume' }
  | { type: 'process.stop' };

/** What the agent process actor reports: decisive agent events, plus the idle notice. */
export type AgentProcessReport = AgentEvent | { type: 'process.idle'; idleMs: number };

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
