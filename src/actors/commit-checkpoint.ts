import { fromPromise } from 'xstate';
import { commitCheckpoint } from '../adapters/git/index.js';
import type { Checkpoint } from '../machines/slots.js';

// The commitCheckpoint actor: commits everything the phase changed in the session worktree.
export function createCheckpointLogic(worktree: string) {
  return fromPromise<Checkpoint, { sessionId: string; phaseId: string; message: string }>(({ input }) =>
    commitCheckpoint({ worktree, message: input.message }),
  );
}
