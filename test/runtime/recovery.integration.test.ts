import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDefaultPlan, type LogEntry, type Plan } from '../../src/domain/index.js';
import { replaySession } from '../../src/runtime/replay.js';
import { waitUntil } from '../support/processes.js';
import { singlePhasePlan, startSimSession, type SimSession, type SimSessionOptions } from '../support/sim-session.js';

/*
 * Recovery through real processes: simulated agents fail the way the real CLIs do, and the worker's
 * recovery attempts (each its own machine) relaunch them with the fix the error asks for, back off,
 * deny, or give the agent up. The sim's `runs` lists make a relaunched run behave differently.
 */

let current: SimSession | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

const done = [{ say: 'working' }, { write: { path: 'out.txt', content: 'done\n' } }, { say: 'all done' }];
// From the session worktree (<dir>/workspace/worktrees/<id>) to the target (<dir>/repo).
const TARGET_FROM_WORKTREE = '../../../repo';

async function start(options: SimSessionOptions): Promise<SimSession> {
  current = await startSimSession({ recovery: { enabled: true, backoffSeconds: 0.05 }, ...options });
  return current;
}

const ofType = <T extends LogEntry['type']>(entries: LogEntry[], type: T) => entries.filter((e): e is Extract<LogEntry, { type: T }> => e.type === type);
const finished = (entries: LogEntry[]) => ofType(entries, 'recovery.finished').map((e) => [e.recoveryId, e.status, e.strategy.kind === 'relaunch' ? e.strategy.fix : e.strategy.kind]);

function twoPhasePlan(first: 'claude' | 'codex', second: 'gemini' | 'codex'): Plan {
  const [, implement, validate] = createDefaultPlan().phases;
  return { phases: [{ ...implement!, preferredAgent: first }, { ...validate!, id: 'check', role: 'architect', preferredAgent: second }] };
}

describe('recovery of real simulated agent processes', () => {
  it('relaunches Codex past its trust gate when the directory is not trusted', async () => {
    const { session, entries } = await start({
      trustWorktree: false,
      plan: singlePhasePlan('codex'),
      agents: ['codex'],
      scenarios: { codex: { steps: [{ fail: { kind: 'trust' } }, ...done] } },
    });
    expect((await session.done).status).toBe('completed');
    expect(ofType(entries, 'recovery.started')[0]).toMatchObject({ workerId: 'worker:implement', code: 'AGENT_UNTRUSTED_DIRECTORY', message: expect.stringContaining('Not inside a trusted directory') });
    expect(finished(entries)).toEqual([['recovery:worker:implement:1', 'recovered', 'skipTrust']]);
    expect(ofType(entries, 'process.spawned').filter((e) => e.workerId === 'worker:implement')).toHaveLength(2);
  });

  it('relaunches Gemini with --skip-trust when it exits on an untrusted workspace (55)', async () => {
    const { session, entries } = await start({
      trustWorktree: false,
      plan: singlePhasePlan('gemini'),
      agents: ['gemini'],
      scenarios: { gemini: { steps: [{ fail: { kind: 'trust' } }, ...done] } },
    });
    expect((await session.done).status).toBe('completed');
    expect(ofType(entries, 'recovery.started')[0]).toMatchObject({ agent: 'gemini', code: 'AGENT_UNTRUSTED_DIRECTORY' });
    expect(finished(entries)).toEqual([['recovery:worker:implement:1', 'recovered', 'skipTrust']]);
  });

  it('records that Gemini without its tools is not fixed by a relaunch (it already runs in the mode that has them), and its run\'s outcome stands', async () => {
    const { session, entries } = await start({
      plan: singlePhasePlan('gemini'),
      agents: ['gemini', 'codex'],
      scenarios: { gemini: { steps: [{ fail: { kind: 'toolUnavailable' } }, { say: 'I cannot run commands here' }] } },
    });
    const summary = await session.done;
    expect(summary.status).toBe('completed');
    expect(ofType(entries, 'recovery.started')[0]).toMatchObject({ agent: 'gemini', code: 'AGENT_TOOL_UNAVAILABLE', message: expect.stringContaining('run_shell_command') });
    expect(finished(entries)).toEqual([['recovery:worker:implement:1', 'exhausted', 'giveUp']]);
    // One launch: nothing was relaunched in vain.
    expect(ofType(entries, 'process.spawned').filter((e) => e.workerId === 'worker:implement')).toHaveLength(1);
    expect(summary.phases[0]!.attempts.map((a) => a.agent)).toEqual(['gemini']);
  });

  it('creates a missing --include-directories directory inside the roots, and Gemini runs', async () => {
    const { session, entries, dir } = await start({
      extraDirs: ['assets'],
      plan: twoPhasePlan('claude', 'gemini'),
      agents: ['claude', 'gemini'],
      scenarios: { claude: { steps: [{ sleep: 1000 }, ...done] }, gemini: { steps: done } },
    });
    // The directory goes away while the first phase works; Gemini then finds it missing.
    await waitUntil(() => entries.some((e) => e.type === 'agent.started'), 10_000, 'the first agent');
    rmSync(join(dir, 'repo', 'assets'), { recursive: true });
    expect((await session.done).status).toBe('completed');
    expect(ofType(entries, 'recovery.started')[0]).toMatchObject({ workerId: 'worker:check', code: 'AGENT_INVALID_INVOCATION', message: expect.stringContaining('Directory does not exist') });
    expect(finished(entries)).toEqual([['recovery:worker:check:1', 'recovered', 'createDirectory']]);
    expect(existsSync(join(dir, 'repo', 'assets'))).toBe(true);
  });

  it('gives Claude the policy\'s roots at launch, so a write there needs no recovery', async () => {
    const target = `${TARGET_FROM_WORKTREE}/shared/notes.txt`;
    const { session, entries, dir } = await start({
      policy: { roots: ['shared'] },
      plan: singlePhasePlan('claude'),
      agents: ['claude'],
      scenarios: { claude: { steps: [{ fail: { kind: 'permission', path: target } }, { shell: { command: `mkdir -p ${TARGET_FROM_WORKTREE}/shared && echo hi > ${target}` } }, ...done] } },
    });
    expect((await session.done).status).toBe('completed');
    expect(finished(entries)).toEqual([]);
    expect(existsSync(join(dir, 'repo', 'shared', 'notes.txt'))).toBe(true);
    expect(ofType(entries, 'agent.started').filter((e) => e.workerId === 'worker:implement')).toHaveLength(1);
  });

  it('stops an agent the moment it writes outside the allowed roots, records the violation, does not retry it, and the tier drops', async () => {
    const { session, entries } = await start({
      plan: singlePhasePlan('gemini'),
      agents: ['gemini', 'claude'],
      // Absolute and outside every root, the temporary directories included (the test runs below one).
      scenarios: { gemini: { steps: [{ fail: { kind: 'permission', path: '/outside-every-root/outside.txt' } }, ...done] } },
    });
    const summary = await session.done;
    expect(summary.status).toBe('completed');
    expect(ofType(entries, 'policy.violation')[0]).toMatchObject({ workerId: 'worker:implement', path: '/outside-every-root/outside.txt', rule: 'outside the allowed roots' });
    // Stopped within half a second of the line that showed the write.
    const call = ofType(entries, 'agent.toolCall').find((e) => e.path === '/outside-every-root/outside.txt')!;
    const exited = ofType(entries, 'agent.exited').find((e) => e.workerId === 'worker:implement')!;
    expect(exited.ts - call.ts).toBeLessThan(500);
    expect(ofType(entries, 'recovery.started')[0]).toMatchObject({ agent: 'gemini', code: 'AGENT_POLICY_VIOLATION' });
    expect(finished(entries)).toEqual([['recovery:worker:implement:1', 'exhausted', 'giveUp']]);
    expect(summary.phases[0]!.attempts.map((a) => a.agent)).toEqual(['gemini', 'claude']);
  });

  it('backs off and retries a rate limit', async () => {
    const { session, entries } = await start({
      plan: singlePhasePlan('codex'),
      agents: ['codex'],
      scenarios: { codex: { steps: [], runs: [[{ fail: { kind: 'rateLimit' } }], done] } },
    });
    expect((await session.done).status).toBe('completed');
    expect(finished(entries)).toEqual([['recovery:worker:implement:1', 'recovered', 'retry']]);
    expect(ofType(entries, 'recovery.applied')[0]!.strategy).toMatchObject({ kind: 'relaunch', fix: 'retry', delayMs: 50 });
  });

  it('gives Codex up when the network stays down (its endless retries caught by the idle deadline), and the tier drops', async () => {
    const { session, entries } = await start({
      recovery: { enabled: true, maxAttempts: 2, backoffSeconds: 0.05 },
      timeouts: { idleSeconds: 1 },
      plan: singlePhasePlan('codex'),
      agents: ['codex', 'claude'],
      scenarios: { codex: { steps: [{ retryForever: true }] } },
    });
    const summary = await session.done;
    expect(summary.status).toBe('completed');
    expect(finished(entries).map(([, status]) => status)).toEqual(['failed', 'failed', 'exhausted']);
    expect(ofType(entries, 'recovery.started').map((e) => e.code)).toEqual(['AGENT_NETWORK', 'AGENT_NETWORK', 'AGENT_NETWORK']);
    expect(summary.phases[0]!.attempts.map((a) => a.agent)).toEqual(['codex', 'claude']);
    expect(summary.tierPath.map((t) => t.to)).toEqual(['claude-codex', 'solo-claude']);
  }, 30_000);

  it('stops at the restart-intensity limit instead of crash-looping, and falls back a tier', async () => {
    const { session, entries } = await start({
      recovery: { enabled: true, maxAttempts: 10, maxRestarts: 3, periodSeconds: 60, backoffSeconds: 0.05 },
      plan: singlePhasePlan('codex'),
      agents: ['codex', 'claude'],
      scenarios: { codex: { steps: [{ fail: { kind: 'rateLimit' } }] } },
    });
    const summary = await session.done;
    expect(summary.status).toBe('completed');
    expect(ofType(entries, 'process.spawned').filter((e) => e.workerId === 'worker:implement')).toHaveLength(4);
    const last = ofType(entries, 'recovery.finished').at(-1)!;
    expect(last).toMatchObject({ status: 'exhausted', strategy: { kind: 'giveUp', reason: expect.stringContaining('3 restarts within 60 s') } });
    expect(summary.tierPath.map((t) => t.to)).toEqual(['claude-codex', 'solo-claude']);
  }, 30_000);

  it('finds an authentication failure unfixable: the agent is unavailable, how to log in is said, and the tier drops', async () => {
    const { session, entries } = await start({ scenarios: { gemini: { steps: [{ fail: { kind: 'auth' } }] } } });
    const summary = await session.done;
    expect(summary.status).toBe('completed');
    const [auth] = ofType(entries, 'recovery.finished');
    expect(auth).toMatchObject({ workerId: 'worker:design', status: 'unavailable', strategy: { reason: expect.stringContaining('GEMINI_API_KEY') } });
    expect(summary.tierPath.map((t) => t.to)).toEqual(['trio', 'claude-codex']);
    expect(session.store.listRecoveryActions(session.sessionId)[0]!.body).toMatchObject({ recoveryId: 'recovery:worker:design:1', status: 'unavailable' });
  });

  it('replays sessions with recoveries to the same end state', async () => {
    const { session } = await start({
      plan: singlePhasePlan('codex'),
      agents: ['codex', 'claude'],
      scenarios: { codex: { steps: [], runs: [[{ fail: { kind: 'rateLimit' } }], [{ crash: { code: 3 } }], [{ crash: { code: 3 } }]] } },
    });
    await session.done;
    const result = await replaySession(current!.storedEvents(), { speed: 0 });
    expect(result.fingerprint).toEqual(result.recorded);
  });
});
