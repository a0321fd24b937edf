import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** sun_path holds 108 bytes including the terminating NUL. */
export const MAX_SOCKET_PATH_BYTES = 107;
/** What the channel appends to the directory: `/XXXXXX/w<n>.sock`, with room for many workers. */
const SOCKET_SUFFIX_BYTES = 32;
const PREFIX = 'orchestrate-';

// True when sockets inside a directory made under `parent` fit in sun_path.
function fitsSocketPaths(parent: string): boolean {
  return Buffer.byteLength(join(parent, PREFIX)) + SOCKET_SUFFIX_BYTES <= MAX_SOCKET_PATH_BYTES;
}

// Creates a directory only we can enter (0700) for the channel's sockets and the workers' private files. A TMPDIR
// too long for socket paths gives way to /tmp.
export function createPrivateDir(parent = tmpdir()): string {
  const base = fitsSocketPaths(parent) ? parent : '/tmp';
  const dir = mkdtempSync(join(base, PREFIX));
  // mkdtemp already asks for 0700; a umask can only take bits away, but say it outright.
  chmodSync(dir, 0o700);
  return dir;
}
