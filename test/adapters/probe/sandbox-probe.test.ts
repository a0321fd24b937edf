import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claudeAdapter, geminiAdapter } from '../../../src/adapters/agents/index.js';
import type { AgentAdapter, SandboxProbe } from '../../../src/adapters/agents/types.js';
import { probeSandbox } from '../../../src/adapters/probe/sandbox-probe.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orchestrate-probe-test-'));
  dirs.push(dir);
  return dir;
}

// A PATH holding only `sh` and the given fake programs (name → shell script body), so what the probe
// finds does not depend on this machine.
function fakePath(programs: Record<string, string>): string {
  const bin = scratch();
  symlinkSync('/bin/sh', join(bin, 'sh'));
  for (const [name, body] of Object.entries(programs)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  return bin;
}

// An adapter whose sandbox probe is the given one.
function adapterProbing(build: (dir: string) => SandboxProbe): AgentAdapter {
  return { ...claudeAdapter, buildSandboxProbe: (_command, dir) => build(dir) };
}

const shell = (script: string, dir: string) => ({ file: 'sh', args: ['-c', script], env: {}, cwd: dir });
const ENV = { PATH: '/usr/bin:/bin' };

describe('probeSandbox', () => {
  it('finds the sandbox working when the probe exits 0', async () => {
    expect(await probeSandbox(adapterProbing((dir) => ({ command: shell('true', dir), hint: 'h' })), [], ENV)).toEqual({ ok: true });
  });

  it('says what is missing, with the first line the probe printed', async () => {
    const adapter = adapterProbing((dir) => ({ command: shell('echo "bwrap: No permissions" >&2; echo more >&2; exit 1', dir), hint: 'install bubblewrap' }));
    expect(await probeSandbox(adapter, [], ENV)).toEqual({ ok: false, reason: 'install bubblewrap (bwrap: No permissions)' });
  });

  it('gives the hint alone when the sandbox cannot work on this platform', async () => {
    expect(await probeSandbox(adapterProbing(() => ({ hint: 'not on win32' })), [], ENV)).toEqual({ ok: false, reason: 'not on win32' });
  });

  it('cannot know a CLI sandboxed whose adapter has no probe', async () => {
    const { buildSandboxProbe: _none, ...adapter } = claudeAdapter;
    expect((await probeSandbox(adapter, [], ENV)).ok).toBe(false);
  });

  it('writes the probe\'s files first and removes its scratch directory afterwards', async () => {
    let seen = '';
    const adapter = adapterProbing((dir) => {
      seen = dir;
      const work = join(dir, 'work');
      return { command: { ...shell('test -f .probe && touch made', work), files: { [join(work, '.probe')]: '' } }, hint: 'h' };
    });
    expect(await probeSandbox(adapter, [], ENV)).toEqual({ ok: true });
    expect(existsSync(seen)).toBe(false);
  });

  it('gives up on a probe that does not answer in time', async () => {
    const adapter = adapterProbing((dir) => ({ command: shell('sleep 10', dir), hint: 'h' }));
    expect(await probeSandbox(adapter, [], ENV, 300)).toEqual({ ok: false, reason: 'h (no answer within 300 ms)' });
  });
});

describe('the Claude Code sandbox probe on Linux', () => {
  const probe = (programs: Record<string, string>) => probeSandbox(claudeAdapter, ['claude'], { PATH: fakePath(programs) }, 10_000, 'linux');

  it('needs socat and a bubblewrap that can start its namespaces', async () => {
    expect(await probe({ socat: 'exit 0', bwrap: 'exit 0' })).toEqual({ ok: true });
    expect(await probe({ socat: 'exit 0', bwrap: 'echo "bwrap: No permissions to create a new namespace" >&2; exit 1' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/apt install bubblewrap socat.*\(bwrap: No permissions to create a new namespace\)$/),
    });
    expect(await probe({ bwrap: 'exit 0' })).toMatchObject({ ok: false, reason: expect.stringMatching(/\(socat is not installed\)$/) });
    expect(await probe({ socat: 'exit 0' })).toMatchObject({ ok: false, reason: expect.stringMatching(/\(bubblewrap \(bwrap\) is not installed\)$/) });
  });

  it('asks bubblewrap for the namespaces the CLI uses', async () => {
    const log = join(scratch(), 'bwrap-args');
    expect(await probe({ socat: 'exit 0', bwrap: `echo "$@" > ${log}` })).toEqual({ ok: true });
    expect(readFileSync(log, 'utf8')).toMatch(/--unshare-net --unshare-pid --ro-bind \/ \/ --dev \/dev --proc \/proc -- true/);
  });

  it('is not available on Windows', async () => {
    expect(await probeSandbox(claudeAdapter, ['claude'], ENV, 1000, 'win32')).toEqual({ ok: false, reason: expect.stringMatching(/not on win32/) });
  });
});

describe('the Gemini CLI sandbox probe on Linux', () => {
  const probe = (programs: Record<string, string>, env: Record<string, string> = {}) =>
    probeSandbox(geminiAdapter, ['gemini'], { PATH: fakePath(programs), ...env }, 10_000, 'linux');
  const DAEMON_DOWN = 'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1';

  it('needs the container runtime the CLI would choose to answer', async () => {
    expect(await probe({ docker: 'exit 0' })).toEqual({ ok: true });
    expect(await probe({ podman: 'exit 0' })).toEqual({ ok: true });
    // Gemini picks docker whenever it is on PATH, so a working podman next to it does not help.
    expect(await probe({ docker: DAEMON_DOWN, podman: 'exit 0' })).toMatchObject({ ok: false, reason: expect.stringMatching(/Cannot connect to the Docker daemon/) });
    expect(await probe({})).toMatchObject({ ok: false, reason: expect.stringMatching(/install docker or podman.*\(neither docker nor podman is installed\)$/) });
  });

  it('follows GEMINI_SANDBOX, which outranks --sandbox', async () => {
    expect(await probe({ docker: DAEMON_DOWN, podman: 'exit 0' }, { GEMINI_SANDBOX: 'podman' })).toEqual({ ok: true });
    expect(await probe({ docker: 'exit 0' }, { GEMINI_SANDBOX: 'false' })).toMatchObject({ ok: false, reason: expect.stringMatching(/GEMINI_SANDBOX=false turns the sandbox off/) });
  });
});
