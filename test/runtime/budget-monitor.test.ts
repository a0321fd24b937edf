import { afterEach, describe, expect, it } from 'vitest';
import type { AgentName, LogBody, LogEntry, PolicyConfig } from '../../src/domain/index.js';
import { startBudgetMonitor, type BudgetExceeded } from '../../src/runtime/budget-monitor.js';
import { createEventLog } from '../../src/store/event-log.js';
import { waitUntil } from '../support/processes.js';

const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

type Budgets = PolicyConfig['budgets'];

// A monitor on an in-memory log, with everything it logged and handed on.
function monitor(budgets: Partial<Budgets>, options: { history?: LogEntry[]; startedAt?: number } = {}) {
  const log = createEventLog('s-budget');
  const entries: LogEntry[] = [];
  log.subscribe((entry) => entries.push(entry));
  const exceeded: BudgetExceeded[] = [];
  stops.push(
    startBudgetMonitor({
      budgets: { session: {}, agent: {}, ...budgets },
      log,
      startedAt: options.startedAt ?? Date.now(),
      history: options.history,
      onExceeded: (entry) => exceeded.push(entry),
    }),
  );
  const append = (workerId: string, body: LogBody) => log.append(workerId, body);
  const logged = () => entries.filter((entry): entry is BudgetExceeded => entry.type === 'budget.exceeded');
  return { append, exceeded, logged, entries };
}

const usage = (costUsd: number, tokens = 0) => ({ type: 'agent.usage' as const, inputTokens: tokens, outputTokens: 0, costUsd });
const phase = (agent: AgentName) => ({ type: 'phase.started' as const, phaseId: 'implement', agent });
const stamp = (seq: number, workerId: string, body: LogBody): LogEntry => ({ ...body, sessionId: 's-budget', workerId, seq, ts: Date.now() }) as LogEntry;

describe('startBudgetMonitor', () => {
  it("logs budget.exceeded once when the session's usage reaches its cost budget, then hands on the logged entry", () => {
    const { append, exceeded, logged } = monitor({ session: { costUsd: 1 } });
    append('worker:design', phase('gemini'));
    append('worker:design', usage(0.6));
    expect(exceeded).toHaveLength(0);
    append('worker:implement', usage(0.5));
    append('worker:implement', usage(0.5));
    expect(logged()).toHaveLength(1);
    expect(logged()[0]).toMatchObject({ workerId: 'session', scope: 'session', budget: 'costUsd', used: 1.1, max: 1 });
    expect(exceeded).toEqual(logged());
  });

  it("sums an agent's workers, its reviews included, against the per-agent budget", () => {
    const { append, exceeded } = monitor({ agent: { tokens: 1000 } });
    append('worker:implement', phase('claude'));
    append('worker:validate', phase('codex'));
    append('session', { type: 'review.started', reviewId: 'review:1', trigger: 'phase.finished', phaseId: 'validate', round: 1, author: 'codex', authorWorkerId: 'worker:validate', reviewers: ['claude'] });
    append('worker:implement', usage(0, 600));
    append('worker:validate', usage(0, 900));
    expect(exceeded).toHaveLength(0);
    append('review:1:claude', usage(0, 400));
    expect(exceeded).toEqual([expect.objectContaining({ scope: 'agent', budget: 'tokens', agent: 'claude', used: 1000, max: 1000 })]);
  });

  it('counts a run total (total: true) once, not on top of the increments before it', () => {
    const { append, exceeded } = monitor({ session: { costUsd: 1 } });
    append('worker:implement', usage(0.4));
    append('worker:implement', { ...usage(0.5), total: true });
    expect(exceeded).toHaveLength(0);
  });

  it("counts the session's wall clock from the session start, and an agent's from its first worker's start", async () => {
    const { append, exceeded } = monitor({ session: { wallSeconds: 0.6 }, agent: { wallSeconds: 0.2 } });
    append('worker:implement', phase('claude'));
    append('worker:implement', { type: 'process.spawned', pid: 10, pgid: 10, file: 'claude' });
    await waitUntil(() => exceeded.length >= 2, 3_000, 'both wall-clock budgets', 20);
    expect(exceeded.map((entry) => [entry.scope, entry.budget, entry.agent])).toEqual([
      ['agent', 'wallSeconds', 'claude'],
      ['session', 'wallSeconds', undefined],
    ]);
    expect(exceeded[0]!.used).toBeGreaterThanOrEqual(0.2);
  });

  it("counts a resumed session's earlier usage, and does not report a budget it already recorded", () => {
    const history = [
      stamp(1, 'worker:implement', phase('claude')),
      stamp(2, 'worker:implement', usage(0.9, 5000)),
      stamp(3, 'session', { type: 'budget.exceeded', scope: 'session', budget: 'tokens', used: 5000, max: 5000 }),
    ];
    const { append, exceeded } = monitor({ session: { tokens: 5000, costUsd: 1 } }, { history });
    expect(exceeded).toHaveLength(0);
    append('worker:implement', usage(0.2));
    expect(exceeded).toEqual([expect.objectContaining({ budget: 'costUsd', used: 1.1 })]);
  });

  it('reports at once a budget that an earlier run of the session used up but never recorded', () => {
    const history = [stamp(1, 'worker:implement', usage(2))];
    const { exceeded } = monitor({ session: { costUsd: 1 } }, { history });
    expect(exceeded).toEqual([expect.objectContaining({ budget: 'costUsd', used: 2 })]);
  });
});
