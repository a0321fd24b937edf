import type { SandboxProbe } from '../types.js';
import { buildShellProbe } from '../shared/shell-probe.js';

/*
 * Gemini CLI 0.61 sandboxes by running itself in a container: the runtime GEMINI_SANDBOX names, else
 * sandbox-exec on macOS, else docker when it is on PATH, else podman. A runtime whose daemon does not
 * answer fails at launch ("Sandbox image ... is missing or could not be pulled"), so the probe asks it
 * for `info`, as the CLI would choose it. The image itself is pulled by the CLI at its first sandboxed run.
 */
const CONTAINER_CHECK = [
  // GEMINI_SANDBOX outranks --sandbox: "false" would turn it off whatever the command line says.
  'case "${GEMINI_SANDBOX:-}" in false|0) echo "GEMINI_SANDBOX=$GEMINI_SANDBOX turns the sandbox off" >&2; exit 1;;',
  '  docker|podman) exec "$GEMINI_SANDBOX" info >/dev/null;; runsc) exec docker info >/dev/null;; esac',
  'if command -v docker >/dev/null; then exec docker info >/dev/null; fi',
  'if command -v podman >/dev/null; then exec podman info >/dev/null; fi',
  'echo "neither docker nor podman is installed" >&2; exit 127',
].join('\n');

// Whether Gemini CLI's sandbox (a container, or Seatbelt on macOS) can start here.
export function buildGeminiSandboxProbe(_command: readonly string[], dir: string, platform: NodeJS.Platform): SandboxProbe {
  if (platform === 'darwin') {
    return { command: buildShellProbe('command -v sandbox-exec', dir), hint: 'Gemini CLI sandboxes with sandbox-exec, which macOS ships' };
  }
  return {
    command: buildShellProbe(CONTAINER_CHECK, dir),
    hint: 'Gemini CLI sandboxes by running in a container: install docker or podman and start its daemon (the CLI pulls its sandbox image at the first run)',
  };
}
