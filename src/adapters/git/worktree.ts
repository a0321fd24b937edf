import { mkdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { excludeFromStatus } from './exclude.js';
import { GitError } from './git-error.js';
import { requireCommit, resolveCommit } from './revision.js';
import { git, gitFailure, runGit } from './run-git.js';

/** A session's own checkout of the target. */
export interface SessionWorktree {
  /** Absolute, symlink-free path of the checkout. */
  path: string;
  /** `orchestrate/<sessionId>`, created at baseSha. */
  branch: string;
  /** The commit the session started from: the diff of the whole session is baseSha..branch. */
  baseSha: string;
}

/** Where and from what to create a session worktree. */
export interface CreateWorktreeOptions {
  repoRoot: string;
  /** Parent of all session worktrees; excluded from the target's status when it lies inside the target. */
  worktreesDir: string;
  sessionId: string;
  /** Branch, tag or sha to start from; HEAD of the target by default. */
  baseRef?: string;
}

/** Which session worktree to remove. */
export interface RemoveWorktreeOptions {
  repoRoot: string;
  path: string;
  /** Also discard uncommitted changes; without it a dirty worktree is a GIT_WORKTREE_DIRTY fault. */
  force?: boolean;
}

// Letters, digits, '.', '_' and '-', not ending in '.': valid both as a directory name and as a branch name component.
const SESSION_ID = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,126}[A-Za-z0-9_-])?$/;

// The branch a session's work is committed to.
export function sessionBranch(sessionId: string): string {
  return `orchestrate/${sessionId}`;
}

// Checks out a new branch orchestrate/<sessionId> at baseRef (default HEAD) in worktreesDir/<sessionId>; the target is untouched.
export async function createSessionWorktree(options: CreateWorktreeOptions): Promise<SessionWorktree> {
  assertSessionId(options.sessionId);
  const baseSha = await resolveBase(options.repoRoot, options.baseRef);
  await mkdir(options.worktreesDir, { recursive: true });
  await excludeFromStatus(options.repoRoot, options.worktreesDir);
  const path = join(await realpath(options.worktreesDir), options.sessionId);
  const branch = sessionBranch(options.sessionId);
  await git(options.repoRoot, ['worktree', 'add', '--quiet', '-b', branch, path, baseSha]);
  return { path, branch, baseSha };
}

// Removes a session's checkout but keeps its branch, and so every checkpoint, for merging; a no-op when already gone.
export async function removeSessionWorktree(options: RemoveWorktreeOptions): Promise<void> {
  const exists = await stat(options.path).then(() => true, () => false);
  if (!exists) {
    await git(options.repoRoot, ['worktree', 'prune']);
    return;
  }
  const args = ['worktree', 'remove', ...(options.force ? ['--force'] : []), options.path];
  const result = await runGit(options.repoRoot, args);
  if (result.exitCode === 0) return;
  if (/modified or untracked files/.test(result.stderr)) {
    const message = `Worktree has uncommitted changes (checkpoint first, or pass force): ${options.path}`;
    throw new GitError('GIT_WORKTREE_DIRTY', message, { stderr: result.stderr.trim() });
  }
  throw gitFailure(options.repoRoot, args, result);
}

function assertSessionId(sessionId: string): void {
  if (SESSION_ID.test(sessionId) && !sessionId.includes('..') && !sessionId.endsWith('.lock')) return;
  throw new GitError('GIT_INVALID_SESSION_ID', `Session id must be letters, digits, '.', '_' or '-': ${JSON.stringify(sessionId)}`);
}

async function resolveBase(repoRoot: string, baseRef: string | undefined): Promise<string> {
  if (baseRef !== undefined) return requireCommit(repoRoot, baseRef);
  const head = await resolveCommit(repoRoot, 'HEAD');
  if (head !== null) return head;
  const message = `The repository at ${repoRoot} has no commits yet: commit its current state first, then start the session`;
  throw new GitError('GIT_NO_COMMITS', message);
}
