import { orchestratorCommitArgs } from './identity.js';
import { requireCommit } from './revision.js';
import { git } from './run-git.js';

/** The commit that closes one phase of a session. */
export interface Checkpoint {
  /** The commit the phase ends on: a new commit, or the previous one when nothing changed. */
  sha: string;
  changed: boolean;
  /** Paths added, modified or deleted by the phase (a rename lists both paths), sorted. */
  files: string[];
}

/** What to checkpoint. */
export interface CheckpointOptions {
  /** The session worktree. */
  worktree: string;
  message: string;
}

// Commits everything in the worktree (ignored files excepted) as the orchestrator, skipping hooks.
// A phase that changed nothing makes no commit: the branch the user merges holds no empty commits,
// and the phase's diff is still exact, from the previous checkpoint to the same sha.
export async function commitCheckpoint(options: CheckpointOptions): Promise<Checkpoint> {
  const { worktree, message } = options;
  await git(worktree, ['add', '--all']);
  const staged = await git(worktree, ['diff', '--cached', '--name-only', '--no-renames', '-z']);
  const files = staged.split('\0').filter((path) => path !== '').sort();
  if (files.length > 0) {
    await git(worktree, [...orchestratorCommitArgs(), 'commit', '--quiet', '--no-verify', '-m', message]);
  }
  return { sha: await requireCommit(worktree, 'HEAD'), changed: files.length > 0, files };
}
