import { describe, expect, it } from 'vitest';
import { applySandboxDecision, decideSandbox, getUnsandboxedReason, type AgentProbeResult } from '../../src/domain/index.js';

const installed: AgentProbeResult = { agent: 'codex', available: true, version: 'codex-cli 0.169.0' };
const missing = { ok: false, reason: 'bwrap: No permissions to create a new namespace' } as const;

describe('decideSandbox', () => {
  it.each([
    ['required', { ok: true } as const, 'sandboxed'],
    ['off', { ok: true } as const, 'sandboxed'],
    ['required', missing, 'refused'],
    ['off', missing, 'unsandboxed'],
  ] as const)('with policy.sandbox %s and a probe that found %j: %s', (setting, finding, run) => {
    expect(decideSandbox('codex', setting, finding).run).toBe(run);
  });

  it('names the agent, what the probe found and how to allow running it without a sandbox', () => {
    const decision = decideSandbox('codex', 'required', missing);
    expect(decision).toEqual({
      run: 'refused',
      reason: 'Codex CLI cannot run in its sandbox here: bwrap: No permissions to create a new namespace. To run it without one, pass --allow-unsandboxed or set "policy": {"sandbox": "off"} in the config',
    });
  });
});

describe('applySandboxDecision and getUnsandboxedReason', () => {
  it('makes a refused agent unavailable, with the reason', () => {
    const probe = applySandboxDecision(installed, decideSandbox('codex', 'required', missing));
    expect(probe).toMatchObject({ agent: 'codex', available: false, version: 'codex-cli 0.169.0' });
    expect(probe.reason).toMatch(/cannot run in its sandbox here/);
    expect(getUnsandboxedReason(probe)).toBeUndefined();
  });

  it('keeps an agent allowed to run unsandboxed available, and says why it runs so', () => {
    const probe = applySandboxDecision(installed, decideSandbox('codex', 'off', missing));
    expect(probe.available).toBe(true);
    expect(getUnsandboxedReason(probe)).toMatch(/^Codex CLI cannot run in its sandbox here: .*policy.sandbox is "off", so it runs without one$/);
  });

  it('leaves a sandboxed agent as the probe found it', () => {
    expect(applySandboxDecision(installed, { run: 'sandboxed' })).toBe(installed);
    expect(getUnsandboxedReason(installed)).toBeUndefined();
  });
});
