import type { SandboxProbe } from '../types.js';
import { buildShellProbe } from '../shared/shell-probe.js';

/*
 * Claude Code checks only that `bwrap` and `socat` are on PATH before it starts (and, with
 * sandbox.failIfUnavailable, refuses to start without them); a bubblewrap that cannot create its
 * namespaces would fail every command later. So the probe also runs bubblewrap once with the
 * namespaces the CLI asks for.
 */
const LINUX_CHECK = [
  'command -v socat >/dev/null || { echo "socat is not installed" >&2; exit 127; }',
  'command -v bwrap >/dev/null || { echo "bubblewrap (bwrap) is not installed" >&2; exit 127; }',
  'exec bwrap --new-session --die-with-parent --unshare-net --unshare-pid --ro-bind / / --dev /dev --proc /proc -- true',
].join('\n');

// Whether Claude Code's sandbox (bubblewrap + socat on Linux, Seatbelt on macOS) can run here.
export function buildClaudeSandboxProbe(_command: readonly string[], dir: string, platform: NodeJS.Platform): SandboxProbe {
  if (platform === 'darwin') {
    return { command: buildShellProbe('command -v sandbox-exec', dir), hint: 'Claude Code sandboxes with sandbox-exec, which macOS ships' };
  }
  if (platform !== 'linux') return { hint: `Claude Code's sandbox runs on Linux, WSL2 and macOS, not on ${platform}` };
  return {
    command: buildShellProbe(LINUX_CHECK, dir),
    hint: 'Claude Code sandboxes with bubblewrap and socat: install both (Debian/Ubuntu: apt install bubblewrap socat), and allow unprivileged user namespaces',
  };
}
