import type { AnyActorLogic } from 'xstate';
import { recoveryMachine } from './recovery.js';
import { reviewMachine } from './review.js';
import { sessionMachine } from './session.js';
import { applyRecoveryFixSlot, reviewCallSlot, reviewDiffSlot, type agentProcessSlot, type commitCheckpointSlot, type probeAgentsSlot } from './slots.js';
import { workerMachine } from './worker.js';

export * from './recovery.js';
export * from './review.js';
export * from './session.js';
export * from './session-review.js';
export * from './slots.js';
export * from './worker.js';
export * from './worker-recovery.js';

/** The I/O actors a session needs, filled by the composition root or by tests. */
export interface SessionActors {
  agentProcess: typeof agentProcessSlot | AnyActorLogic;
  probeAgents: typeof probeAgentsSlot;
  commitCheckpoint: typeof commitCheckpointSlot;
  /** Needed once a session reviews; an unfilled slot fails the review loudly. */
  reviewCall?: typeof reviewCallSlot;
  reviewDiff?: typeof reviewDiffSlot;
  /** Needed once a worker recovers from a failure. */
  applyRecoveryFix?: typeof applyRecoveryFixSlot;
}

// The session machine with its I/O slots filled, the worker's and the review's included.
export function provideSessionActors(actors: SessionActors) {
  return sessionMachine.provide({
    actors: {
      worker: workerMachine.provide({
        actors: {
          agentProcess: actors.agentProcess as typeof agentProcessSlot,
          recovery: recoveryMachine.provide({ actors: { applyRecoveryFix: actors.applyRecoveryFix ?? applyRecoveryFixSlot } }),
        },
      }),
      review: reviewMachine.provide({ actors: { reviewCall: actors.reviewCall ?? reviewCallSlot, reviewDiff: actors.reviewDiff ?? reviewDiffSlot } }),
      probeAgents: actors.probeAgents,
      commitCheckpoint: actors.commitCheckpoint,
    },
  });
}
export * from './fingerprint.js';
