import { fromPromise } from 'xstate';
import { commitCheckpoint } from '../adapters/git/index.js';
import type { Checkpoint } from '../machines/slots.js';

/** Where the checkpoint actor records each commit, so a replay can answer the same. */
export interface CheckpointRecorder {
  append(workerId: string, body: { type: 'phase.checkpointed'; phaseId: string; checkpoint: Checkpoint }): unknown;
}

// The commitCheckpoint actor: commits everything the phase changed in the session worktree.
export function createCheckpointLogic(worktree: string, log: CheckpointRecorder) {
  return fromPromise<Checkpoint, { sessionId: string; phaseId: string; message: string }>(async ({ input }) => {
    const { sha, changed, files } = await commitCheckpoint({ worktree, message: input.message });
    const checkpoint = { sha, changed, files };
    log.append('session', { type: 'phase.checkpointed', phaseId: input.phaseId, checkpoint });
    return checkpoint;
  });
}
