import { isInsideRoot, normalizePath, type EffectivePolicy } from '../../../domain/index.js';
import type { LaunchPolicy, LaunchSpec } from '../types.js';

// The launch policy of an agent's runs, from the session's policy: the sandbox is `off` only for an
// agent that runs without it because the user allowed that (its probe's `unsandboxed`). Allow rules
// need no flag: a command no rule names is allowed, and the sandbox holds it.
export function createLaunchPolicy(policy: EffectivePolicy, unsandboxed: boolean): LaunchPolicy {
  return {
    sandbox: unsandboxed ? 'off' : 'required',
    writableRoots: policy.writableRoots,
    network: policy.network,
    denyCommands: policy.commands.deny,
    askCommands: policy.commands.ask,
    protectedPaths: policy.protectedPaths,
    secretPaths: [...policy.credentialPaths, ...policy.statePaths],
  };
}

// Where a run's policy files go: its own directory, else its MCP server's. A launch with a policy and
// neither is a wiring fault: the policy must never be dropped without a word.
export function getPolicyFilesDir(spec: LaunchSpec): string {
  const dir = spec.filesDir ?? spec.mcp?.dir;
  if (dir === undefined) throw new Error('a launch with a policy needs filesDir (or an MCP launch dir) for its policy files');
  return dir;
}

// The writable roots the CLI is not already given as its cwd or an extra directory.
export function getExtraWritableRoots(spec: LaunchSpec): string[] {
  const given = new Set([spec.cwd, ...spec.extraDirs].map((dir) => normalizePath(dir)));
  return (spec.policy?.writableRoots ?? []).filter((root) => !given.has(normalizePath(root)));
}

// The path relative to `root` when it lies below it ("a/b"), else undefined.
export function getPathBelow(path: string, root: string): string | undefined {
  const p = normalizePath(path);
  const r = normalizePath(root);
  return p !== r && isInsideRoot(p, r) ? p.slice(r === '/' ? 1 : r.length + 1) : undefined;
}
