import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/domain/index.js';
import { replaySession } from '../../src/runtime/replay.js';
import { waitUntil } from '../support/processes.js';
import { singlePhasePlan, startSimSession, type SimSession, type SimSessionOptions } from '../support/sim-session.js';

let current: SimSession | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

function recordedLog(sim: SimSession): LogEntry[] {
  return sim.storedEvents();
}

async function recordSession(options: SimSessionOptions, steer?: (sim: SimSession) => Promise<void>) {
  current = await startSimSession(options);
  await steer?.(current);
  await current.session.done;
  return recordedLog(current);
}

describe('replaySession', () => {
  it.each<[string, SimSessionOptions]>([
    ['the default plan', {}],
    ['a tier fallback after a failed authentication', { scenarios: { gemini: { steps: [{ fail: { kind: 'auth' } }] } } }],
    ['a crash handed to the next agent', { plan: singlePhasePlan('claude'), scenarios: { claude: { steps: [{ crash: { code: 3 } }] } } }],
    [
      'a stall at the idle deadline',
      { plan: singlePhasePlan('claude'), agents: ['claude'], timeouts: { idleSeconds: 1 }, scenarios: { claude: { steps: [{ hang: true }] } } },
    ],
  ])('reaches the recorded end state of %s, with no agent', async (_name, options) => {
    const log = await recordSession(options);
    const spawnedBefore = log.filter((e) => e.type === 'process.spawned').length;
    expect(spawnedBefore).toBeGreaterThan(0);
    const result = await replaySession(log, { speed: 0 });
    expect(result.recorded).toBeDefined();
    expect(result.fingerprint).toEqual(result.recorded);
  });

  it('replays a person pausing, resuming and stopping at the same points', async () => {
    const log = await recordSession(
      { plan: singlePhasePlan('claude'), scenarios: { claude: { steps: [{ events: { count: 50, intervalMs: 20 } }, { hang: true }] } } },
      async ({ session, entries }) => {
        await waitUntil(() => entries.some((e) => e.type === 'agent.message'), 10_000, 'output');
        session.pause();
        await new Promise((r) => setTimeout(r, 100));
        session.resume();
        await waitUntil(() => entries.filter((e) => e.type === 'agent.message').length >= 50, 10_000, 'all output');
        session.stop();
      },
    );
    expect(log.filter((e) => e.type === 'control.received').map((e) => (e as { command: { type: string } }).command.type)).toEqual([
      'session.pause',
      'session.resume',
      'session.stop',
    ]);
    const transitions: string[] = [];
    const result = await replaySession(log, { speed: 0, onTransition: ({ actorId, value }) => transitions.push(`${actorId} ${JSON.stringify(value)}`) });
    expect(result.fingerprint).toEqual(result.recorded);
    expect((result.fingerprint.output as { status: string }).status).toBe('stopped');
    expect(transitions).toEqual(expect.arrayContaining([expect.stringMatching(/^worker:implement \{"live":"paused"\}$/), 'session "stopped"']));
  });

  it('refuses a log without a session start', async () => {
    await expect(replaySession([], { speed: 0 })).rejects.toThrow(/no session.started/);
  });
});
