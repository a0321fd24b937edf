import { GitError } from './git-error.js';
import { gitFailure, runGit } from './run-git.js';

// The commit a revision names in cwd, or null when it names none (such as HEAD of a repository without commits).
export async function resolveCommit(cwd: string, revision: string): Promise<string | null> {
  // A leading dash would be read as an option; no branch, tag or sha starts with one.
  if (revision.startsWith('-')) return null;
  const args = ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`];
  const result = await runGit(cwd, args);
  if (result.exitCode === 1) return null;
  if (result.exitCode !== 0) throw gitFailure(cwd, args, result);
  return result.stdout.trim();
}

// Like resolveCommit, but a revision that names no commit is a GIT_BAD_REVISION fault.
export async function requireCommit(cwd: string, revision: string): Promise<string> {
  const sha = await resolveCommit(cwd, revision);
  if (sha === null) throw new GitError('GIT_BAD_REVISION', `Not a commit in ${cwd}: ${revision}`);
  return sha;
}

// The short name of the branch checked out in cwd, or null when HEAD is detached.
export async function currentBranch(cwd: string): Promise<string | null> {
  const args = ['symbolic-ref', '--quiet', '--short', 'HEAD'];
  const result = await runGit(cwd, args);
  if (result.exitCode === 1) return null;
  if (result.exitCode !== 0) throw gitFailure(cwd, args, result);
  return result.stdout.trim();
}
