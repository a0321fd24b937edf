import { execa } from 'execa';

/** What running `<binary> --version` told us. */
export type VersionProbe = { ok: true; version: string } | { ok: false; reason: string };

// Runs the binary's version command with a deadline; never throws.
export async function probeVersion(
  command: readonly string[],
  versionArgs: readonly string[],
  env: Record<string, string>,
  timeoutMs = 15_000,
): Promise<VersionProbe> {
  const [file, ...leading] = command;
  if (!file) return { ok: false, reason: 'no command configured' };
  const result = await execa(file, [...leading, ...versionArgs], {
    env,
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    timeout: timeoutMs,
    forceKillAfterDelay: 1000,
    detached: true,
    cleanup: true,
  });
  if ((result as { code?: string }).code === 'ENOENT') return { ok: false, reason: `${file} was not found on PATH` };
  if (result.timedOut) return { ok: false, reason: `${file} ${versionArgs.join(' ')} did not answer within ${timeoutMs} ms` };
  if (result.exitCode !== 0) {
    const detail = String(result.stderr || result.stdout || result.message).trim().split('\n')[0];
    return { ok: false, reason: `${file} ${versionArgs.join(' ')} exited with ${result.exitCode ?? result.signal}: ${detail}` };
  }
  const version = String(result.stdout).trim().split('\n')[0] ?? '';
  return { ok: true, version };
}
