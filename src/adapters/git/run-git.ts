import { stat } from 'node:fs/promises';
import { execa, type Result } from 'execa';
import { GitError } from './git-error.js';

/** What one git call printed and how it ended. */
export interface GitResult {
  exitCode: number;
  /** stdout without its final newline. */
  stdout: string;
  stderr: string;
}

/** The output of a git call whose stdout was capped. */
export interface CappedGitResult {
  stdout: Uint8Array;
  /** True when stdout reached the cap and git was stopped. */
  truncated: boolean;
}

// Every call names its repository through cwd: GIT_DIR and friends inherited from a git hook would redirect them.
// LC_ALL=C keeps the stderr texts we recognise (and show) stable; no call may ever prompt.
const GIT_ENV = {
  GIT_DIR: undefined,
  GIT_WORK_TREE: undefined,
  GIT_INDEX_FILE: undefined,
  GIT_COMMON_DIR: undefined,
  GIT_OBJECT_DIRECTORY: undefined,
  LC_ALL: 'C',
  GIT_TERMINAL_PROMPT: '0',
};

/** What a call may set beyond the fixed environment: only a private index file. */
export interface GitCallOptions {
  indexFile?: string;
}

// Runs git in cwd and returns its output whatever the exit code; throws only when git cannot be started there.
export async function runGit(cwd: string, args: readonly string[], options: GitCallOptions = {}): Promise<GitResult> {
  const env = options.indexFile ? { ...GIT_ENV, GIT_INDEX_FILE: options.indexFile } : GIT_ENV;
  const result = await execa('git', args, { cwd, env, stdin: 'ignore', reject: false });
  if (result.exitCode === undefined) throw await spawnFailure(cwd, result);
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

// Runs git and returns its stdout (without the final newline); a non-zero exit throws with git's stderr.
export async function git(cwd: string, args: readonly string[], options: GitCallOptions = {}): Promise<string> {
  const result = await runGit(cwd, args, options);
  if (result.exitCode !== 0) throw gitFailure(cwd, args, result);
  return result.stdout;
}

// Runs git keeping at most maxBytes of stdout, byte for byte; git is stopped once the cap is reached.
export async function runGitCapped(cwd: string, args: readonly string[], maxBytes: number): Promise<CappedGitResult> {
  const result = await execa('git', args, {
    cwd,
    env: GIT_ENV,
    stdin: 'ignore',
    reject: false,
    encoding: 'buffer',
    stripFinalNewline: false,
    maxBuffer: { stdout: maxBytes },
  });
  if (result.isMaxBuffer) return { stdout: result.stdout, truncated: true };
  if (result.exitCode === undefined) throw await spawnFailure(cwd, result);
  const stderr = new TextDecoder().decode(result.stderr);
  if (result.exitCode !== 0) throw gitFailure(cwd, args, { exitCode: result.exitCode, stdout: '', stderr });
  return { stdout: result.stdout, truncated: false };
}

// The error for a git command that ran and failed.
export function gitFailure(cwd: string, args: readonly string[], result: GitResult): GitError {
  const stderr = result.stderr.trim();
  const code = /not a git repository/i.test(stderr) ? 'GIT_NOT_A_REPOSITORY' : 'GIT_FAILED';
  const message = `git ${args.join(' ')} failed in ${cwd} (exit ${result.exitCode}): ${stderr || '(no stderr)'}`;
  return new GitError(code, message, { stderr });
}

async function spawnFailure(cwd: string, result: Result): Promise<GitError> {
  // Node reports a missing cwd with the same ENOENT as a missing executable.
  const cwdExists = await stat(cwd).then((s) => s.isDirectory(), () => false);
  if (!cwdExists) return new GitError('GIT_DIRECTORY_MISSING', `Directory not found: ${cwd}`, { cause: result });
  const missing = result.code === 'ENOENT';
  const message = missing ? 'git was not found on PATH; install git to use orchestrate' : `Could not run git: ${result.shortMessage}`;
  return new GitError(missing ? 'GIT_NOT_FOUND' : 'GIT_FAILED', message, { cause: result });
}
