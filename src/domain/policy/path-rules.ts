import type { PolicyVerdict } from '../policy-config.js';
import type { EffectivePolicy } from './effective-policy.js';

/*
 * Where a write may land and what a read may touch, on absolute normalized paths. Symbolic links
 * are not followed (that needs the file system): the CLIs' sandboxes hold what a link hides.
 */

export const OUTSIDE_ROOTS_RULE = 'outside the allowed roots';
export const PROTECTED_RULE = 'protected path';
export const CREDENTIALS_RULE = 'credentials';
export const STATE_RULE = 'orchestrator state';

/** Devices any command may write: discarding output or writing to the terminal changes no file. */
const WRITABLE_DEVICES = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty', '/dev/zero']);
const WRITABLE_DEVICE_DIRS = ['/dev/fd', '/proc/self/fd'];

/** What a write does: a deletion also removes whatever is below the path. */
export interface WriteIntent {
  verb: string;
  deletes?: boolean;
}

// The verdict on writing one path, or undefined when the policy lets it be written.
export function checkWritePath(path: string, policy: EffectivePolicy, intent: WriteIntent = { verb: 'writes' }): PolicyVerdict | undefined {
  if (WRITABLE_DEVICES.has(path) || WRITABLE_DEVICE_DIRS.some((dir) => isWithin(path, dir))) return undefined;
  const off = findForbidden(path, policy);
  if (off) return deny(`${intent.verb} ${path}, inside ${off.path}: ${off.why}`, off.rule);
  if (!policy.writableRoots.some((root) => isWithin(path, root))) {
    return deny(`${intent.verb} ${path}, outside the allowed roots (${policy.writableRoots.join(', ')})`, OUTSIDE_ROOTS_RULE);
  }
  const below = intent.deletes ? findForbiddenBelow(path, policy) : undefined;
  return below ? deny(`${intent.verb} ${path}, which holds ${below.path}: ${below.why}`, below.rule) : undefined;
}

// The verdict on reading one path (a whole tree when `recursive`), or undefined when it may be read.
// Reads are otherwise free: the CLIs' own sandboxes do not restrict them either, and agents need
// the toolchains and documentation outside the worktree.
export function checkReadPath(path: string, policy: EffectivePolicy, recursive = false): PolicyVerdict | undefined {
  const secret = findSecret(policy, (candidate) => isWithin(path, candidate));
  if (secret) return deny(`reads ${path}, inside ${secret.path}: ${secret.why}`, secret.rule);
  if (!recursive) return undefined;
  const below = findSecret(policy, (candidate) => isWithin(candidate, path));
  if (below) return { decision: 'ask', reason: `searches ${path}, which holds ${below.path}: ${below.why}`, rule: below.rule };
  return undefined;
}

interface Forbidden {
  path: string;
  why: string;
  rule: string;
}

function findForbidden(path: string, policy: EffectivePolicy): Forbidden | undefined {
  return findSecret(policy, (candidate) => isWithin(path, candidate)) ?? findProtected(policy, (candidate) => isWithin(path, candidate));
}

function findForbiddenBelow(path: string, policy: EffectivePolicy): Forbidden | undefined {
  const below = (candidate: string) => isWithin(candidate, path);
  return findSecret(policy, below) ?? findProtected(policy, below);
}

function findSecret(policy: EffectivePolicy, test: (candidate: string) => boolean): Forbidden | undefined {
  const credential = policy.credentialPaths.find(test);
  if (credential) return { path: credential, why: 'credentials are off limits', rule: CREDENTIALS_RULE };
  const state = policy.statePaths.find(test);
  if (state) return { path: state, why: "the orchestrator's own state is off limits", rule: STATE_RULE };
  return undefined;
}

function findProtected(policy: EffectivePolicy, test: (candidate: string) => boolean): Forbidden | undefined {
  const found = policy.protectedPaths.find(test);
  return found ? { path: found, why: "the agents' and the shells' configuration and git's internals are protected", rule: PROTECTED_RULE } : undefined;
}

// `isInsideRoot` for paths already normalized, which every path here is: checks run per word.
function isWithin(path: string, root: string): boolean {
  return root === '/' || path === root || (path.startsWith(root) && path[root.length] === '/');
}

function deny(reason: string, rule: string): PolicyVerdict {
  return { decision: 'deny', reason, rule };
}
