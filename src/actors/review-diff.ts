import { fromPromise } from 'xstate';
import { diffBetween, snapshotWorktree } from '../adapters/git/index.js';
import type { ReviewDiff, ReviewDiffInput } from '../machines/slots.js';

/** Where the diff actor records what each review was shown, so a replay can show the same. */
export interface ReviewDiffRecorder {
  append(workerId: string, body: { type: 'review.diff'; reviewId: string; diff: ReviewDiff }): unknown;
}

/** The most of a diff a reviewer is shown; the files list is always whole, and the reviewer can read the worktree. */
export const REVIEW_DIFF_MAX_BYTES = 64 * 1024;

// The reviewDiff actor: the exact diff of the worktree as it is now (work in progress included)
// against the commit the work started from. It never rejects: a diff that cannot be read is
// recorded and shown as such, and the review goes on.
export function createReviewDiffLogic(log: ReviewDiffRecorder, maxBytes = REVIEW_DIFF_MAX_BYTES) {
  return fromPromise<ReviewDiff, ReviewDiffInput>(async ({ input }) => {
    let diff: ReviewDiff;
    try {
      const to = await snapshotWorktree(input.cwd);
      const { text, truncated, files } = await diffBetween({ worktree: input.cwd, from: input.base ?? 'HEAD', to, maxBytes });
      diff = { text, truncated, files };
    } catch (error) {
      diff = { text: `(the diff could not be read: ${error instanceof Error ? error.message : String(error)})`, truncated: false, files: [] };
    }
    log.append(input.reviewId, { type: 'review.diff', reviewId: input.reviewId, diff });
    return diff;
  });
}
