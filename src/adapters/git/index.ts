// The git edge: inspect or init a target, give each session its own worktree and branch, checkpoint phases, diff them.
export { GitError, type GitErrorCode, type GitErrorOptions } from './git-error.js';
export { ORCHESTRATOR_IDENTITY } from './identity.js';
export { inspectTarget, initRepository, type RepoTarget, type TargetInfo } from './repository.js';
export {
  createSessionWorktree,
  removeSessionWorktree,
  sessionBranch,
  type CreateWorktreeOptions,
  type RemoveWorktreeOptions,
  type SessionWorktree,
} from './worktree.js';
export { commitCheckpoint, type Checkpoint, type CheckpointOptions } from './checkpoint.js';
export { snapshotWorktree } from './snapshot.js';
export { diffBetween, DEFAULT_DIFF_MAX_BYTES, type DiffOptions, type DiffSummary, type FileStat } from './diff.js';
export { excludeFromStatus } from './exclude.js';
export { describeMerge, type MergeCommand, type MergeOptions } from './merge.js';
