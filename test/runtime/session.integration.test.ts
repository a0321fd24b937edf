import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isGroupAlive, readProcessStat } from '../../src/adapters/process/process-groups.js';
import type { LogEntry } from '../../src/domain/index.js';
import { waitUntil } from '../support/processes.js';
import { singlePhasePlan, startSimSession, type SimSession } from '../support/sim-session.js';

let current: SimSession | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

const ofType = <T extends LogEntry['type']>(entries: LogEntry[], type: T) =>
  entries.filter((e): e is Extract<LogEntry, { type: T }> => e.type === type);

describe('a session on simulated agents', () => {
  it('runs the default plan through real processes and commits each phase on its branch', async () => {
    current = await startSimSession();
    const summary = await current.session.done;
    expect(summary.status).toBe('completed');
    expect(summary.phases.map((p) => [p.id, p.status, p.agent])).toEqual([
      ['design', 'done', 'gemini'],
      ['implement', 'done', 'claude'],
      ['validate', 'done', 'codex'],
    ]);
    expect(summary.phases[0]!.files).toEqual(['out.txt']);
    expect(await readFile(join(current.session.worktree, 'out.txt'), 'utf8')).toBe('done\n');
    expect(summary.branch).toMatch(/^orchestrate\//);
    expect(current.groups()).toHaveLength(3);
  });

  it('falls back a tier when an agent is not installed and another fails to authenticate', async () => {
    current = await startSimSession({ missing: ['codex'], scenarios: { gemini: { steps: [{ fail: { kind: 'auth' } }] } } });
    const summary = await current.session.done;
    expect(summary.status).toBe('completed');
    expect(summary.tierPath.map((t) => t.to)).toEqual(['gemini-claude', 'solo-claude']);
    expect(summary.unavailable.codex).toMatch(/not found on PATH.*npm install -g @openai\/codex/);
    expect(summary.unavailable.gemini).toMatch(/AGENT_NOT_AUTHENTICATED/);
    expect(summary.phases.map((p) => p.agent)).toEqual(['claude', 'claude', 'claude']);
  });

  it('records a crash and hands the phase to the next agent', async () => {
    current = await startSimSession({
      plan: singlePhasePlan('claude'),
      scenarios: { claude: { steps: [{ say: 'about to crash' }, { crash: { code: 3 } }] } },
    });
    const summary = await current.session.done;
    expect(summary.phases[0]!.attempts.map((a) => [a.agent, a.status])).toEqual([
      ['claude', 'failed'],
      ['codex', 'done'],
    ]);
    expect(summary.phases[0]!.attempts[0]!.failure).toMatch(/AGENT_CRASHED/);
  });

  it('kills a hanging agent at the idle deadline with its whole group', async () => {
    current = await startSimSession({
      plan: singlePhasePlan('claude'),
      agents: ['claude'],
      timeouts: { idleSeconds: 1 },
      scenarios: { claude: { steps: [{ say: 'thinking' }, { hang: true }] } },
    });
    const summary = await current.session.done;
    expect(summary.status).toBe('failed');
    expect(summary.phases[0]!.attempts[0]!.failure).toMatch(/AGENT_STALLED/);
    for (const pgid of current.groups()) expect(isGroupAlive(pgid)).toBe(false);
  });

  it('kills an agent that ignores SIGTERM after the grace period', async () => {
    current = await startSimSession({
      plan: singlePhasePlan('gemini'),
      agents: ['gemini'],
      timeouts: { idleSeconds: 1, stopGraceSeconds: 0.5 },
      scenarios: { gemini: { steps: [{ ignoreSigterm: true }, { say: 'stubborn' }, { hang: true }] } },
    });
    const started = Date.now();
    const summary = await current.session.done;
    expect(summary.phases[0]!.attempts[0]!.failure).toMatch(/AGENT_STALLED/);
    expect(Date.now() - started).toBeLessThan(10_000);
    const exits = ofType(current.entries, 'agent.exited');
    expect(exits.at(-1)!.signal).toBe('SIGKILL');
  });

  it('drops a 50 MB line, reports it, and keeps reading the stream', async () => {
    current = await startSimSession({
      plan: singlePhasePlan('claude'),
      agents: ['claude'],
      maxLineBytes: 1024 * 1024,
      scenarios: { claude: { steps: [{ say: 'before' }, { hugeLine: { bytes: 50 * 1024 * 1024 } }, { say: 'after' }] } },
    });
    const summary = await current.session.done;
    expect(summary.status).toBe('completed');
    const dropped = ofType(current.entries, 'agent.unparsed').filter((e) => e.reason === 'oversized');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]!.bytes).toBeGreaterThanOrEqual(50 * 1024 * 1024);
    expect(dropped[0]!.line.length).toBeLessThan(1000);
    expect(ofType(current.entries, 'agent.message').map((m) => m.text)).toEqual(expect.arrayContaining(['before', 'after']));
  });

  it('records garbage lines as unparsed and goes on', async () => {
    current = await startSimSession({
      plan: singlePhasePlan('codex'),
      agents: ['codex'],
      scenarios: { codex: { steps: [{ garbage: { lines: 3 } }, { say: 'fine' }] } },
    });
    const summary = await current.session.done;
    expect(summary.status).toBe('completed');
    expect(ofType(current.entries, 'agent.unparsed').filter((e) => e.reason === 'invalidJson')).toHaveLength(3);
  });

  it('pauses the agent process group and resumes it', async () => {
    current = await startSimSession({
      plan: singlePhasePlan('claude'),
      agents: ['claude'],
      scenarios: { claude: { steps: [{ events: { count: 400, intervalMs: 10 } }] } },
    });
    const { session, entries } = current;
    await waitUntil(() => ofType(entries, 'agent.message').length > 5, 10_000, 'first messages');
    session.pause();
    await waitUntil(() => ofType(entries, 'session.paused').length === 1, 2_000, 'pause');
    const pid = ofType(entries, 'process.spawned')[0]!.pid;
    await waitUntil(() => readProcessStat(pid)?.state === 'T', 2_000, 'the process to stop');
    // What the agent wrote before it stopped may still be in the pipe and the writer: let it drain.
    const messages = () => ofType(entries, 'agent.message').length;
    let drained = -1;
    await waitUntil(
      () => {
        const settled = messages() === drained;
        drained = messages();
        return settled;
      },
      5_000,
      'the output to drain',
      250,
    );
    await new Promise((r) => setTimeout(r, 400));
    expect(messages()).toBe(drained);
    expect(drained).toBeLessThan(400);
    session.resume();
    const summary = await session.done;
    expect(summary.status).toBe('completed');
    expect(ofType(entries, 'agent.message').length).toBeGreaterThanOrEqual(400);
  });

  it('stops a running session and leaves no process behind', async () => {
    current = await startSimSession({
      plan: singlePhasePlan('claude'),
      scenarios: { claude: { steps: [{ say: 'long job' }, { hang: true }] } },
    });
    const { session, entries } = current;
    await waitUntil(() => ofType(entries, 'agent.message').length > 0, 10_000, 'the agent to speak');
    session.stop();
    const summary = await session.done;
    expect(summary.status).toBe('stopped');
    expect(summary.phases[0]!.status).toBe('stopped');
  });
});
