import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { SandboxFinding } from '../../domain/index.js';
import type { AgentAdapter } from '../agents/types.js';
import { writeCommandFiles } from '../process/command-files.js';

/** Long enough for a container runtime's `info`; a sandbox that takes longer is not usable anyway. */
const DEFAULT_TIMEOUT_MS = 30_000;

// The first line of what the probe printed, to say what failed.
function getDetail(result: { stderr?: unknown; stdout?: unknown; exitCode?: number; signal?: string }): string {
  const line = `${String(result.stderr ?? '')}\n${String(result.stdout ?? '')}`
    .split('\n')
    .map((text) => text.trim())
    .find((text) => text !== '');
  return line ?? `exit ${result.exitCode ?? result.signal ?? 'unknown'}`;
}

function killGroup(pid: number | undefined): void {
  try {
    if (pid !== undefined) process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

// Runs an agent CLI's sandbox probe (AgentAdapter.buildSandboxProbe) in a scratch directory of its own,
// with the agent's environment. Never throws; an adapter without a probe cannot be known sandboxed.
export async function probeSandbox(
  adapter: AgentAdapter,
  command: readonly string[],
  env: Record<string, string>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  platform: NodeJS.Platform = process.platform,
): Promise<SandboxFinding> {
  if (!adapter.buildSandboxProbe) return { ok: false, reason: 'there is no way to check its sandbox' };
  const dir = mkdtempSync(join(tmpdir(), 'orchestrate-sandbox-'));
  try {
    const probe = adapter.buildSandboxProbe(command, dir, platform);
    if (!probe.command) return { ok: false, reason: probe.hint };
    writeCommandFiles(probe.command.files);
    const child = execa(probe.command.file, probe.command.args, {
      cwd: probe.command.cwd,
      env: { ...env, ...probe.command.env },
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
      detached: true,
      cleanup: true,
    });
    // The whole group: a child the probe started (a sleeping daemon client) would keep the pipes open.
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    const result = await child.finally(() => clearTimeout(timer));
    if (result.exitCode === 0 && !timedOut) return { ok: true };
    const detail = timedOut ? `no answer within ${timeoutMs} ms` : getDetail(result);
    return { ok: false, reason: `${probe.hint} (${detail})` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
