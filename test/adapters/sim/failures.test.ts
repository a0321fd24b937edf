import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, parseAll, requireBuilt, runSim, startSim, vendorArgs } from './helpers.js';

beforeAll(requireBuilt);
afterEach(cleanup);

const failing = (kind: string) => ({ steps: [{ say: 'working' }, { fail: { kind } }, { say: 'recovered' }] });

describe('claude failures', () => {
  it('auth: synthetic message, result subtype success with is_error, exit 1', async () => {
    const r = await runSim('claude', failing('auth'), vendorArgs('claude', 'x'));
    expect(r.code).toBe(1);
    const ev = parseAll(r.lines);
    expect(ev.at(-2)).toMatchObject({ type: 'assistant', error: 'authentication_failed', message: { model: '<synthetic>' } });
    expect(ev.at(-1)).toMatchObject({
      type: 'result', subtype: 'success', is_error: true, result: 'Not logged in · Please run /login',
    });
  });

  it.each([
    ['network', 1, 'API Error: Unable to connect to API (ConnectionRefused)'],
    ['rateLimit', 1, 'API Error: Rate limit reached'],
  ])('%s: error result, exit %i', async (kind, code, text) => {
    const r = await runSim('claude', failing(kind), vendorArgs('claude', 'x'));
    expect(r.code).toBe(code);
    expect(parseAll(r.lines).at(-1)).toMatchObject({ type: 'result', is_error: true, result: text });
  });

  it('turnLimit and budget: error_* subtypes with errors[], exit 1', async () => {
    const turns = await runSim('claude', failing('turnLimit'), vendorArgs('claude', 'x', ['--max-turns', '3']));
    expect(turns.code).toBe(1);
    expect(parseAll(turns.lines).at(-1)).toMatchObject({
      subtype: 'error_max_turns', is_error: true, errors: ['Reached maximum number of turns (3)'],
    });
    const budget = await runSim('claude', failing('budget'), vendorArgs('claude', 'x', ['--max-budget-usd', '0.5']));
    expect(budget.code).toBe(1);
    expect(parseAll(budget.lines).at(-1)).toMatchObject({
      subtype: 'error_max_budget_usd', errors: ['Reached maximum budget ($0.5)'],
    });
  });

  it('permission: denied tool result, run continues, denial reported, exit 0', async () => {
    const r = await runSim('claude', failing('permission'), vendorArgs('claude', 'x'));
    expect(r.code).toBe(0);
    const ev = parseAll(r.lines);
    expect(JSON.stringify(ev)).toContain("but you haven't granted it yet.");
    expect(ev.at(-1)).toMatchObject({ is_error: false, result: 'recovered', permission_denials: [{ tool_name: 'Write' }] });
  });
});

describe('codex failures', () => {
  it('trust: stderr text, no stdout, exit 1 without --skip-git-repo-check', async () => {
    const r = await runSim('codex', { steps: [{ fail: { kind: 'trust' } }, { say: 'ok' }] }, vendorArgs('codex', 'x'));
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([]);
    expect(r.stderr).toContain('Not inside a trusted directory and --skip-git-repo-check was not specified.');
  });

  it('trust: skipped when the invocation has --skip-git-repo-check', async () => {
    const args = vendorArgs('codex', 'x', ['--skip-git-repo-check']);
    const r = await runSim('codex', { steps: [{ fail: { kind: 'trust' } }, { say: 'ok' }] }, args);
    expect(r.code).toBe(0);
    expect(parseAll(r.lines).map((e) => e.type)).toEqual(['thread.started', 'turn.started', 'item.completed', 'turn.completed']);
  });

  it.each([
    ['auth', 'unexpected status 401 Unauthorized'],
    ['rateLimit', '429 Too Many Requests'],
  ])('%s: Reconnecting errors then turn.failed, exit 1', async (kind, text) => {
    const r = await runSim('codex', failing(kind), vendorArgs('codex', 'x'));
    expect(r.code).toBe(1);
    const ev = parseAll(r.lines);
    expect(ev.filter((e) => String(e.message).startsWith('Reconnecting...'))).toHaveLength(5);
    expect(ev.at(-1)).toMatchObject({ type: 'turn.failed' });
    expect(JSON.stringify(ev.at(-1))).toContain(text);
  });

  it('network: retries forever ("waiting for network") until killed', async () => {
    const sim = startSim('codex', failing('network'), vendorArgs('codex', 'x'));
    await sim.waitForLine((l) => l.includes('waiting for network'), 5_000);
    const before = sim.lines.length;
    await sim.waitForLine((_) => sim.lines.length >= before + 2, 5_000);
    expect(sim.child.exitCode).toBeNull();
    process.kill(sim.pid, 'SIGKILL');
    expect((await sim.exited).signal).toBe('SIGKILL');
  });
});

describe('gemini failures', () => {
  it.each([
    ['auth', 41, 'Please set an Auth method'],
    ['trust', 55, 'Gemini CLI is not running in a trusted directory.'],
  ])('%s at startup: stderr only, exit %i', async (kind, code, text) => {
    const r = await runSim('gemini', { steps: [{ fail: { kind } }] }, vendorArgs('gemini', 'x'), {
      env: { ...process.env, GEMINI_CLI_TRUST_WORKSPACE: '' },
    });
    expect(r.code).toBe(code);
    expect(r.lines).toEqual([]);
    expect(r.stderr).toContain(text);
  });

  it('trust: skipped with --skip-trust', async () => {
    const r = await runSim('gemini', failing('trust'), vendorArgs('gemini', 'x', ['--skip-trust']));
    expect(r.code).toBe(0);
    expect(parseAll(r.lines).at(-1)).toMatchObject({ type: 'result', status: 'success' });
  });

  it.each([
    ['turnLimit', 53, 'FatalTurnLimitedError'],
    ['network', 1, 'unknown'],
    ['rateLimit', 173, 'unknown'],
  ])('%s: result status error, exit %i', async (kind, code, type) => {
    const r = await runSim('gemini', failing(kind), vendorArgs('gemini', 'x'));
    expect(r.code).toBe(code);
    expect(parseAll(r.lines).at(-1)).toMatchObject({ type: 'result', status: 'error', error: { type } });
  });

  it('toolUnavailable: tool_not_registered result, run continues, exit 0', async () => {
    const r = await runSim('gemini', failing('toolUnavailable'), vendorArgs('gemini', 'x'));
    expect(r.code).toBe(0);
    const ev = parseAll(r.lines);
    expect(ev.find((e) => e.type === 'tool_result')).toMatchObject({ status: 'error', error: { type: 'tool_not_registered' } });
    expect(ev.at(-1)).toMatchObject({ type: 'result', status: 'success' });
  });
});
