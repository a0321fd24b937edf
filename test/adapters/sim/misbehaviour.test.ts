import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { monotonicMs } from '../../../src/adapters/sim/stamp.js';
import { cleanup, delay, parseAll, requireBuilt, runSim, startSim, vendorArgs } from './helpers.js';

beforeAll(requireBuilt);
afterEach(cleanup);

describe('sim misbehaviours', () => {
  it('crash: exits with the code mid-stream, no terminal event', async () => {
    const r = await runSim('claude', { steps: [{ say: 'a' }, { crash: { code: 7 } }, { say: 'b' }] }, vendorArgs('claude', 'x'));
    expect(r.code).toBe(7);
    const ev = parseAll(r.lines);
    expect(ev.map((e) => e.type)).toEqual(['system', 'assistant']);
  });

  it('exit: exits with the code, no terminal event', async () => {
    const r = await runSim('gemini', { steps: [{ say: 'a' }, { exit: { code: 0 } }] }, vendorArgs('gemini', 'x'));
    expect(r.code).toBe(0);
    expect(parseAll(r.lines).some((e) => e.type === 'result')).toBe(false);
  });

  it('hang: stops printing and stays alive until killed', async () => {
    const sim = startSim('codex', { steps: [{ say: 'before' }, { hang: true }, { say: 'after' }] }, vendorArgs('codex', 'x'));
    await sim.waitForLine((l) => l.includes('before'), 5_000);
    await delay(600);
    expect(sim.child.exitCode).toBeNull();
    expect(sim.lines.some((l) => l.includes('after'))).toBe(false);
    process.kill(sim.pid, 'SIGKILL');
    expect((await sim.exited).signal).toBe('SIGKILL');
  });

  it('ignoreSigterm: survives SIGTERM, dies on SIGKILL', async () => {
    const scenario = { steps: [{ ignoreSigterm: true }, { say: 'ready' }, { hang: true }] };
    const sim = startSim('claude', scenario, vendorArgs('claude', 'x'));
    await sim.waitForLine((l) => l.includes('ready'), 5_000);
    process.kill(sim.pid, 'SIGTERM');
    await delay(600);
    expect(sim.child.exitCode).toBeNull();
    expect(sim.child.signalCode).toBeNull();
    process.kill(sim.pid, 'SIGKILL');
    expect((await sim.exited).signal).toBe('SIGKILL');
  });

  it('without ignoreSigterm, SIGTERM ends a hung sim', async () => {
    const sim = startSim('claude', { steps: [{ say: 'ready' }, { hang: true }] }, vendorArgs('claude', 'x'));
    await sim.waitForLine((l) => l.includes('ready'), 5_000);
    process.kill(sim.pid, 'SIGTERM');
    const exit = await Promise.race([sim.exited, delay(5_000).then(() => undefined)]);
    expect(exit?.signal).toBe('SIGTERM');
  });

  it('garbage: prints lines that are not JSON', async () => {
    const r = await runSim('codex', { steps: [{ garbage: { lines: 4 } }, { say: 'fine' }] }, vendorArgs('codex', 'x'));
    expect(r.code).toBe(0);
    const bad = r.lines.filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    expect(bad).toHaveLength(4);
  });

  it('hugeLine: one 50 MB line, then the stream goes on', async () => {
    const bytes = 50 * 1024 * 1024;
    const sim = startSim('claude', { steps: [{ hugeLine: { bytes } }, { say: 'after' }] }, vendorArgs('claude', 'x'), {
      keepLines: false,
    });
    const exit = await Promise.race([sim.exited, delay(20_000).then(() => undefined)]);
    expect(exit?.code).toBe(0);
    expect(sim.lineBytes).toHaveLength(4);
    expect(sim.lineBytes[1]).toBe(bytes);
  });

  it('hugeLine: a smaller huge line is a valid vendor message', async () => {
    const r = await runSim('gemini', { steps: [{ hugeLine: { bytes: 1_000_000 } }] }, vendorArgs('gemini', 'x'));
    const line = r.lines[2] ?? '';
    expect(Buffer.byteLength(line)).toBe(1_000_000);
    expect(JSON.parse(line)).toMatchObject({ type: 'message', role: 'assistant', delta: true });
  });

  it('retryForever: vendor retry notices every ~200 ms until killed', async () => {
    const sim = startSim('claude', { steps: [{ retryForever: true }] }, vendorArgs('claude', 'x'));
    await sim.waitForLine((_) => sim.lines.filter((l) => l.includes('api_retry')).length >= 3, 5_000);
    expect(sim.child.exitCode).toBeNull();
    process.kill(sim.pid, 'SIGKILL');
    await sim.exited;
  });

  it('events: tens of thousands of lines per second, numbered', async () => {
    const count = 100_000;
    const started = Date.now();
    const sim = startSim('claude', { steps: [{ events: { count } }] }, vendorArgs('claude', 'x'), { keepLines: false });
    const exit = await Promise.race([sim.exited, delay(20_000).then(() => undefined)]);
    const seconds = (Date.now() - started) / 1000;
    expect(exit?.code).toBe(0);
    expect(sim.lineBytes).toHaveLength(count + 2);
    expect(count / seconds).toBeGreaterThan(10_000);
    const small = await runSim('codex', { steps: [{ events: { count: 3 } }] }, vendorArgs('codex', 'x'));
    const texts = parseAll(small.lines).filter((e) => e.type === 'item.completed').map((e) => (e.item as { text: string }).text);
    expect(texts).toEqual(['event 1', 'event 2', 'event 3']);
  });

  it('events with intervalMs pace the lines', async () => {
    const started = Date.now();
    const r = await runSim('codex', { steps: [{ events: { count: 5, intervalMs: 60 } }] }, vendorArgs('codex', 'x'));
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(parseAll(r.lines).filter((e) => e.type === 'item.completed')).toHaveLength(5);
  });

  it('events with perSecond keep the rate by the clock, and stamp carries each write time on the shared clock', async () => {
    const before = monotonicMs();
    const r = await runSim('codex', { steps: [{ events: { count: 101, perSecond: 500, stamp: true } }] }, vendorArgs('codex', 'x'));
    const after = monotonicMs();
    expect(r.code).toBe(0);
    const texts = parseAll(r.lines).filter((e) => e.type === 'item.completed').map((e) => (e.item as { text: string }).text);
    expect(texts).toHaveLength(101);
    const stamps = texts.map((text, i) => {
      const match = /^event (\d+) t=(\d+\.\d{3})$/.exec(text);
      expect(match?.[1]).toBe(String(i + 1));
      return Number(match?.[2]);
    });
    // 100 spacings of 2 ms: a timer of 1 ms or coarser still keeps the rate (message n is due at (n - 1) × 2 ms).
    expect(stamps.at(-1)! - stamps[0]!).toBeGreaterThanOrEqual(199);
    expect(stamps.at(-1)! - stamps[0]!).toBeLessThan(1_000);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]!).toBeGreaterThanOrEqual(stamps[i - 1]!);
    // The test process reads the same monotonic clock: every stamp falls inside the run.
    expect(stamps[0]!).toBeGreaterThan(before);
    expect(stamps.at(-1)!).toBeLessThan(after);
  });

  it('events refuses intervalMs and perSecond together', async () => {
    const r = await runSim('codex', { steps: [{ events: { count: 3, intervalMs: 5, perSecond: 100 } }] }, vendorArgs('codex', 'x'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('intervalMs and perSecond');
  });
});
