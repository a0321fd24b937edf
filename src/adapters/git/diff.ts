import { requireCommit } from './revision.js';
import { git, runGitCapped } from './run-git.js';

/** One file's line counts in a diff. */
export interface FileStat {
  path: string;
  /** Lines added, or null for a binary file. */
  added: number | null;
  /** Lines deleted, or null for a binary file. */
  deleted: number | null;
}

/** A unified diff bounded for storage and display, with complete per-file counts. */
export interface DiffSummary {
  /** Unified diff text; when truncated, it ends at the last complete line under the cap. */
  text: string;
  truncated: boolean;
  files: FileStat[];
}

/** Which commits to compare. */
export interface DiffOptions {
  worktree: string;
  from: string;
  to: string;
  /** Cap on the diff text in bytes (UTF-8); DEFAULT_DIFF_MAX_BYTES by default. */
  maxBytes?: number;
}

/** Default cap on a diff's text. */
export const DEFAULT_DIFF_MAX_BYTES = 1024 * 1024;

// Exact output whatever the user's git config: no colour, external diff or textconv, the standard a/ b/ prefixes,
// and no rename detection so that numstat and the text list the same paths.
const DIFF_FLAGS = ['--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--src-prefix=a/', '--dst-prefix=b/'];

// The unified diff and numstat between two commits; the text is capped at maxBytes, the numstat never is.
export async function diffBetween(options: DiffOptions): Promise<DiffSummary> {
  const { worktree, maxBytes = DEFAULT_DIFF_MAX_BYTES } = options;
  const [from, to] = await Promise.all([requireCommit(worktree, options.from), requireCommit(worktree, options.to)]);
  const [text, numstat] = await Promise.all([
    runGitCapped(worktree, ['diff', ...DIFF_FLAGS, from, to, '--'], maxBytes),
    git(worktree, ['diff', '--numstat', '-z', '--no-renames', from, to, '--']),
  ]);
  const bytes = text.truncated ? text.stdout.subarray(0, text.stdout.lastIndexOf(0x0a) + 1) : text.stdout;
  return { text: new TextDecoder().decode(bytes), truncated: text.truncated, files: parseNumstat(numstat) };
}

// Parses `git diff --numstat -z --no-renames`: records of "added<TAB>deleted<TAB>path" ended by NUL, "-" for binary.
export function parseNumstat(output: string): FileStat[] {
  return output
    .split('\0')
    .filter((record) => record !== '')
    .map((record) => {
      const [added = '', deleted = ''] = record.split('\t', 2);
      const path = record.slice(added.length + deleted.length + 2);
      return { path, added: toCount(added), deleted: toCount(deleted) };
    });
}

function toCount(field: string): number | null {
  return field === '-' ? null : Number(field);
}
