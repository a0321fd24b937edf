/** Stable codes for the git faults a user must fix. Outcomes (an empty phase, a non-repo target) are data instead. */
export type GitErrorCode =
  | 'GIT_NOT_FOUND'
  | 'GIT_DIRECTORY_MISSING'
  | 'GIT_NOT_A_DIRECTORY'
  | 'GIT_NOT_A_REPOSITORY'
  | 'GIT_ALREADY_A_REPOSITORY'
  | 'GIT_NO_COMMITS'
  | 'GIT_BAD_REVISION'
  | 'GIT_INVALID_SESSION_ID'
  | 'GIT_INVALID_WORKTREES_DIR'
  | 'GIT_WORKTREE_DIRTY'
  | 'GIT_FAILED';

/** Options of a GitError beyond its code and message. */
export interface GitErrorOptions {
  /** What git printed on stderr, when a git command failed. */
  stderr?: string;
  cause?: unknown;
}

// A configuration fault in the git layer (git missing, not a repository, a command git refused); stderr is in the message.
export class GitError extends Error {
  override readonly name = 'GitError';
  readonly code: GitErrorCode;
  readonly stderr: string;

  constructor(code: GitErrorCode, message: string, options: GitErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.stderr = options.stderr ?? '';
  }
}
