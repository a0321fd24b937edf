/*
 * Enforcement in a whole session on simulated agents: a tool call the policy denies, a resource limit,
 * a budget reached; each recorded once, sent to the machines, and replayed to the same end state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { createDefaultPlan, type LogEntry, type ToolCallChecker } from '../../src/domain/index.js';
import { findPrlimit } from '../../src/adapters/process/os-limits.js';
import { replaySession } from '../../src/runtime/replay.js';
import { singlePhasePlan, startSimSession, type SimSession } from '../support/sim-session.js';

let current: SimSession | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

const denyRmRf: ToolCallChecker = (call) =>
  call.command?.includes('rm -rf') ? { decision: 'deny', reason: 'rm -rf is denied', rule: 'rm -rf' } : { decision: 'allow', reason: 'allowed' };

const ofType = <T extends LogEntry['type']>(entries: LogEntry[], type: T) => entries.filter((e): e is Extract<LogEntry, { type: T }> => e.type === type);

// Every event the root session actor received, from the system's inspection.
function recordSessionInputs(sim: SimSession): string[] {
  const received: string[] = [];
  sim.session.actor.system.inspect((event: InspectionEvent) => {
    if (event.type === '@xstate.event' && event.actorRef === sim.session.actor) received.push(event.event.type);
  });
  return received;
}

async function expectReplayToMatch(sim: SimSession): Promise<void> {
  const result = await replaySession(sim.storedEvents(), { speed: 0 });
  expect(result.recorded).toBeDefined();
  expect(result.fingerprint).toEqual(result.recorded);
}

describe('enforcement in a session', () => {
  // Every vendor reports tokens; only Claude reports a cost.
  const spend = (costUsd: number) => ({ steps: [{ say: 'working' }, { usage: { input: 1000, output: 500, costUsd } }, { sleep: 300 }, { say: 'done' }] });

  it("ends the session when the session's budget is reached: logged once, sent to the session, said in the summary, replayed the same", async () => {
    current = await startSimSession({ scenarios: { gemini: spend(0), claude: spend(0.5), codex: spend(0) }, policy: { budgets: { session: { tokens: 2500 } } } });
    const received = recordSessionInputs(current);
    const summary = await current.session.done;
    const exceeded = ofType(current.storedEvents(), 'budget.exceeded');
    expect(exceeded.map(({ scope, budget, max, workerId }) => ({ scope, budget, max, workerId }))).toEqual([{ scope: 'session', budget: 'tokens', max: 2500, workerId: 'session' }]);
    expect(exceeded[0]!.used).toBeGreaterThanOrEqual(2500);
    expect(received.filter((type) => type === 'budget.exceeded')).toHaveLength(1);
    // No new work started: the validation phase never ran.
    expect(summary).toMatchObject({ status: 'failed', reason: expect.stringContaining("the session's tokens budget ran out") });
    expect(summary.phases.find((p) => p.id === 'validate')!.attempts).toEqual([]);
    await expectReplayToMatch(current);
  });

  it('takes an agent whose own budget is reached off the work: the next phase goes to another agent', async () => {
    const [, implement] = createDefaultPlan().phases;
    const plan = { phases: [implement!, { ...implement!, id: 'polish', title: 'Polish' }] };
    current = await startSimSession({ plan, agents: ['claude', 'codex'], scenarios: { claude: spend(0.5), codex: spend(0) }, policy: { budgets: { agent: { costUsd: 0.4 } } } });
    const summary = await current.session.done;
    expect(ofType(current.storedEvents(), 'budget.exceeded').map(({ scope, budget, agent }) => ({ scope, budget, agent }))).toEqual([{ scope: 'agent', budget: 'costUsd', agent: 'claude' }]);
    expect(summary.status).toBe('completed');
    expect(summary.phases.map((p) => p.attempts.map((a) => a.agent))).toEqual([['claude'], ['codex']]);
    expect(summary.unavailable.claude).toMatch(/^AGENT_BUDGET: Claude Code's costUsd budget ran out/);
    await expectReplayToMatch(current);
  });

  it('a denied tool call kills the agent, the violation reaches its worker before the exit, and the session replays the same', async () => {
    current = await startSimSession({
      plan: singlePhasePlan('claude'),
      agents: ['claude', 'codex'],
      checker: denyRmRf,
      scenarios: { claude: { steps: [{ shell: { command: 'rm -rf ./build; sleep 5' } }, { say: 'not reached' }] } },
    });
    await current.session.done;
    const stored = current.storedEvents();
    const [violation] = ofType(stored, 'policy.violation');
    expect(violation).toMatchObject({ workerId: 'worker:implement', tool: 'Bash', rule: 'rm -rf', stopped: true });
    const exited = ofType(stored, 'agent.exited').find((e) => e.workerId === violation!.workerId)!;
    expect(exited).toMatchObject({ signal: 'SIGKILL' });
    expect(violation!.seq).toBeLessThan(exited.seq);
    expect(exited.ts - violation!.ts).toBeLessThan(500);
    await expectReplayToMatch(current);
  });

  it.runIf(findPrlimit())('an agent over its memory limit is stopped, limit.exceeded is recorded, and the session replays the same', async () => {
    current = await startSimSession({
      plan: singlePhasePlan('codex'),
      agents: ['codex', 'claude'],
      policy: { limits: { memoryMb: 256 } },
      scenarios: { codex: { steps: [{ say: 'loading everything' }, { allocate: { mb: 1024, holdMs: 5_000 } }] } },
    });
    await current.session.done;
    const stored = current.storedEvents();
    const [exceeded] = ofType(stored, 'limit.exceeded');
    expect(exceeded).toMatchObject({ workerId: 'worker:implement', limit: 'memory', max: 256 });
    await expectReplayToMatch(current);
  });
});
