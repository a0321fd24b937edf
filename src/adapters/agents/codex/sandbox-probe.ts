import { join } from 'node:path';
import type { SandboxProbe } from '../types.js';

/*
 * Runs Codex's own sandbox (`codex sandbox`, workspace-write) on a canary in a directory inside the
 * probe's scratch directory: writing there must work and writing next to it must not. /tmp and $TMPDIR,
 * which workspace-write opens by default, are closed for the canary, since the scratch directory lies in
 * one of them. A sandbox that cannot start fails the first write ("bwrap: No permissions to create a new
 * namespace", "bwrap: loopback: Failed RTM_NEWADDR"); one that does not hold lets the second through.
 * Either way the probe exits non-zero.
 */
const CANARY = 'touch canary-inside && ! touch ../canary-outside 2>/dev/null';

// Whether Codex's sandbox works, and holds, here.
export function buildCodexSandboxProbe(command: readonly string[], dir: string, _platform: NodeJS.Platform): SandboxProbe {
  const [file = 'codex', ...lead] = command;
  const args = [
    ...lead,
    'sandbox',
    '-c',
    'sandbox_mode="workspace-write"',
    '-c',
    'sandbox_workspace_write.exclude_slash_tmp=true',
    '-c',
    'sandbox_workspace_write.exclude_tmpdir_env_var=true',
    '--',
    'sh',
    '-c',
    CANARY,
  ];
  const workspace = join(dir, 'workspace');
  return {
    // The file makes the workspace directory exist before the spawn.
    command: { file, args, env: {}, cwd: workspace, files: { [join(workspace, '.probe')]: '' } },
    hint: 'Codex sandboxes with bubblewrap (its own copy, or bwrap on PATH), which needs unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; inside a container, one that allows them)',
  };
}
