import { describe, expect, it } from 'vitest';
import { probeAgent, type ProbeDeps } from '../../src/actors/probe-agents.js';
import { ADAPTERS } from '../../src/adapters/agents/index.js';
import type { AgentAdapter } from '../../src/adapters/agents/types.js';

// Codex's adapter with a version command and a sandbox probe that need no Codex: sh prints the version,
// and the probe exits as told.
function fakeCodex(sandboxWorks: boolean): AgentAdapter {
  return {
    ...ADAPTERS.codex,
    defaultCommand: ['sh', '-c', 'echo codex-cli 0.169.0'],
    versionArgs: [],
    buildSandboxProbe: (_command, dir) => ({
      command: { file: 'sh', args: ['-c', sandboxWorks ? 'true' : 'echo "bwrap: No permissions to create a new namespace" >&2; exit 1'], env: {}, cwd: dir },
      hint: 'Codex needs user namespaces',
    }),
  };
}

function deps(sandboxWorks: boolean, sandbox?: ProbeDeps['sandbox']): ProbeDeps {
  return { adapters: { ...ADAPTERS, codex: fakeCodex(sandboxWorks) }, commands: {}, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, sandbox };
}

describe('probeAgent with the policy\'s sandbox setting', () => {
  it('finds an agent whose sandbox works available, as before', async () => {
    expect(await probeAgent(deps(true, 'required'), 'codex')).toEqual({ agent: 'codex', available: true, version: 'codex-cli 0.169.0' });
  });

  it('makes an agent whose sandbox cannot run unavailable when the sandbox is required, saying why and how to allow it', async () => {
    const probe = await probeAgent(deps(false, 'required'), 'codex');
    expect(probe).toMatchObject({ agent: 'codex', available: false });
    expect(probe.reason).toBe(
      'Codex CLI cannot run in its sandbox here: Codex needs user namespaces (bwrap: No permissions to create a new namespace). To run it without one, pass --allow-unsandboxed or set "policy": {"sandbox": "off"} in the config',
    );
  });

  it('keeps it available, marked unsandboxed, when the user accepted that', async () => {
    const probe = await probeAgent(deps(false, 'off'), 'codex');
    expect(probe).toMatchObject({ agent: 'codex', available: true, version: 'codex-cli 0.169.0' });
    expect(probe.unsandboxed).toMatch(/cannot run in its sandbox here: .*policy.sandbox is "off", so it runs without one$/);
  });

  it('does not look at sandboxes without a setting', async () => {
    expect(await probeAgent(deps(false), 'codex')).toEqual({ agent: 'codex', available: true, version: 'codex-cli 0.169.0' });
  });
});
