/*
 * POSIX path arithmetic without the file system, so that pure policy can compare paths: `.` and
 * `..` are resolved, repeated slashes collapse. Symbolic links are the sandbox's business.
 */

// The absolute, normalized form of a path, relative ones taken from `cwd`.
export function normalizePath(path: string, cwd = '/'): string {
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

// True when `path` is `root` or lies below it.
export function isInsideRoot(path: string, root: string): boolean {
  const p = normalizePath(path);
  const r = normalizePath(root);
  return r === '/' || p === r || p.startsWith(`${r}/`);
}

// The directory a path is in.
export function parentDirectory(path: string): string {
  const normalized = normalizePath(path);
  return normalized.slice(0, Math.max(1, normalized.lastIndexOf('/')));
}
