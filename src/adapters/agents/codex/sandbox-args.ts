import { normalizePath } from '../../../domain/index.js';
import type { LaunchSpec } from '../types.js';
import { tomlStringArray } from '../shared/toml.js';

/*
 * A run's policy as Codex's OS sandbox (bubblewrap + seccomp on Linux, Seatbelt on macOS). workspace-write
 * lets commands write the cwd, the writable roots, /tmp and $TMPDIR, keeps .git, .codex and .agents in them
 * read-only, and turns the network off unless asked. Reads are not restricted, and `codex exec` has no
 * per-command rules (its execpolicy .rules files are read only from CODEX_HOME and the project): the
 * orchestrator's stream check holds the command rules for Codex.
 */
// The sandbox flags of a worker's run: workspace-write with the policy's roots and network, or no
// sandbox at all when the user accepted running Codex without one.
export function buildCodexSandboxArgs(spec: LaunchSpec): string[] {
  const policy = spec.policy;
  if (!policy) return ['--sandbox', 'workspace-write'];
  if (policy.sandbox === 'off') return ['--sandbox', 'danger-full-access'];
  const cwd = normalizePath(spec.cwd);
  const roots = policy.writableRoots.filter((root) => normalizePath(root) !== cwd);
  return [
    '--sandbox',
    'workspace-write',
    '-c',
    `sandbox_workspace_write.writable_roots=${tomlStringArray(roots)}`,
    '-c',
    `sandbox_workspace_write.network_access=${policy.network}`,
  ];
}
