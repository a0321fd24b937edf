import { mkdir, realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GitError } from './git-error.js';
import { fallbackIdentityArgs } from './identity.js';
import { currentBranch, resolveCommit } from './revision.js';
import { git, gitFailure, runGit } from './run-git.js';

/** A target directory that lies in a git work tree. */
export interface RepoTarget {
  kind: 'repo';
  /** The top level of the work tree (a parent of the directory asked about, when it is a subdirectory). */
  root: string;
  /** The commit checked out, or null in a repository without commits. */
  head: string | null;
  /** The branch checked out, or null when HEAD is detached. */
  branch: string | null;
}

/** What a --target directory is, as far as git is concerned. */
export type TargetInfo = RepoTarget | { kind: 'notRepo' } | { kind: 'missing' };

const INITIAL_MESSAGE = 'Initial commit (orchestrate)';

// Tells whether dir is missing, a plain directory, or inside a git work tree (and on which commit and branch).
export async function inspectTarget(dir: string): Promise<TargetInfo> {
  const stats = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (stats === undefined) return { kind: 'missing' };
  if (!stats.isDirectory()) throw new GitError('GIT_NOT_A_DIRECTORY', `Not a directory: ${dir}`);
  const args = ['rev-parse', '--show-toplevel'];
  const result = await runGit(dir, args);
  if (result.exitCode !== 0) {
    if (/not a git repository/i.test(result.stderr)) return { kind: 'notRepo' };
    throw gitFailure(dir, args, result);
  }
  const root = resolve(result.stdout.trim());
  return { kind: 'repo', root, head: await resolveCommit(root, 'HEAD'), branch: await currentBranch(root) };
}

// Makes dir (created if missing) a repository whose first commit holds whatever dir contains, so worktrees can branch from it.
export async function initRepository(dir: string): Promise<RepoTarget> {
  const before = await inspectTarget(dir);
  if (before.kind === 'repo' && before.root === (await realpath(dir))) {
    throw new GitError('GIT_ALREADY_A_REPOSITORY', `Already a git repository: ${before.root}`);
  }
  await mkdir(dir, { recursive: true });
  await git(dir, ['init', '--quiet']);
  await git(dir, ['add', '--all']);
  // --allow-empty: an empty directory still needs a commit for a worktree to start from.
  const commit = ['commit', '--quiet', '--no-verify', '--allow-empty', '-m', INITIAL_MESSAGE];
  await git(dir, [...(await fallbackIdentityArgs(dir)), ...commit]);
  const after = await inspectTarget(dir);
  if (after.kind !== 'repo') throw new GitError('GIT_FAILED', `git init left no repository in ${dir}`);
  return after;
}
