import type { AnyActorLogic } from 'xstate';
import { sessionMachine } from './session.js';
import type { agentProcessSlot, commitCheckpointSlot, probeAgentsSlot } from './slots.js';
import { workerMachine } from './worker.js';

export * from './session.js';
export * from './slots.js';
export * from './worker.js';

/** The I/O actors a session needs, filled by the composition root or by tests. */
export interface SessionActors {
  agentProcess: typeof agentProcessSlot | AnyActorLogic;
  probeAgents: typeof probeAgentsSlot;
  commitCheckpoint: typeof commitCheckpointSlot;
}

// The session machine with its I/O slots filled, the worker's included.
export function provideSessionActors(actors: SessionActors) {
  return sessionMachine.provide({
    actors: {
      worker: workerMachine.provide({ actors: { agentProcess: actors.agentProcess as typeof agentProcessSlot } }),
      probeAgents: actors.probeAgents,
      commitCheckpoint: actors.commitCheckpoint,
    },
  });
}
export * from './fingerprint.js';
