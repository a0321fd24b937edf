import { appendFile, mkdir, readFile, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { GitError } from './git-error.js';
import { git } from './run-git.js';

// Hides dir from repoRoot's status through info/exclude when dir lies inside it (idempotent; .gitignore is never touched).
// Returns whether dir is inside the repository.
export async function excludeFromStatus(repoRoot: string, dir: string): Promise<boolean> {
  const rel = relative(await realpath(repoRoot), await realpath(dir));
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return false;
  if (rel === '') throw new GitError('GIT_INVALID_WORKTREES_DIR', `The worktrees directory cannot be the repository itself: ${dir}`);
  const pattern = `/${rel.split(sep).map(escapePattern).join('/')}/`;
  const file = resolve(repoRoot, await git(repoRoot, ['rev-parse', '--git-path', 'info/exclude']));
  const current = await readFile(file, 'utf8').catch(() => '');
  if (current.split(/\r?\n/).includes(pattern)) return true;
  await mkdir(dirname(file), { recursive: true });
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  await appendFile(file, `${separator}${pattern}\n`);
  return true;
}

// Makes a path segment match only itself in a gitignore pattern (the leading and trailing '/' settle '!', '#' and spaces).
function escapePattern(segment: string): string {
  return segment.replace(/[\\*?[\]]/g, (c) => `\\${c}`);
}
