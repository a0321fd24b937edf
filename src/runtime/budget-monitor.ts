import { getReviewerWorkerId } from '../actors/review-call.js';
import {
  addUsage,
  findSpentBudgets,
  getBudgetKey,
  sumUsage,
  ZERO_USAGE,
  type AgentName,
  type BudgetBreach,
  type LogEntry,
  type PolicyConfig,
  type UsageTotals,
} from '../domain/index.js';
import type { EventLog } from '../store/event-log.js';

export type BudgetExceeded = Extract<LogEntry, { type: 'budget.exceeded' }>;

export interface BudgetMonitorOptions {
  budgets: PolicyConfig['budgets'];
  log: Pick<EventLog, 'append' | 'subscribe'>;
  /** When the session started (ms since the epoch); its wall clock counts from here. */
  startedAt: number;
  /** A resumed session's earlier events: their usage counts, and a budget they record as exceeded is not reported again. */
  history?: Iterable<LogEntry>;
  /** Hears each `budget.exceeded` right after it is logged: the session machine takes the logged event. */
  onExceeded(entry: BudgetExceeded): void;
  now?: () => number;
}

/** How often wall-clock budgets are checked, at most and at least. */
const MAX_CHECK_MS = 1_000;
const MIN_CHECK_MS = 50;

// Watches the session's budgets from its committed log: usage per worker (agent.usage), each worker's
// agent (phase.started, review.started), each agent's first start (process.spawned). A budget reached
// is logged as `budget.exceeded` once, then handed on, so a replay re-sends it from the log in place.
export function startBudgetMonitor(options: BudgetMonitorOptions): () => void {
  const { budgets, log } = options;
  const now = options.now ?? Date.now;
  const spending = createSpending();
  const reported = new Set<string>();
  const fold = (entry: LogEntry) => {
    if (entry.type === 'budget.exceeded') reported.add(getBudgetKey(entry));
    else spending.fold(entry);
  };
  for (const entry of options.history ?? []) fold(entry);

  const check = () => {
    for (const breach of findBreaches(budgets, spending, options.startedAt, now())) {
      const key = getBudgetKey(breach);
      if (reported.has(key)) continue;
      reported.add(key);
      options.onExceeded(log.append('session', { type: 'budget.exceeded', ...breach }));
    }
  };
  const unsubscribe = log.subscribe((entry) => {
    fold(entry);
    if (entry.type === 'agent.usage') check();
  });
  const timer = startWallClock(budgets, check);
  check();
  return () => {
    clearInterval(timer);
    unsubscribe();
  };
}

// Every budget the spending has reached, the session's first.
function findBreaches(budgets: PolicyConfig['budgets'], spending: Spending, startedAt: number, now: number): BudgetBreach[] {
  const breaches = findSpentBudgets(budgets.session, { usage: spending.total(), wallSeconds: (now - startedAt) / 1000 }, 'session');
  for (const [agent, spend] of spending.byAgent(now)) breaches.push(...findSpentBudgets(budgets.agent, spend, 'agent', agent));
  return breaches;
}

// A timer for wall-clock budgets only: usage is checked as it arrives.
function startWallClock(budgets: PolicyConfig['budgets'], check: () => void): NodeJS.Timeout | undefined {
  const walls = [budgets.session.wallSeconds, budgets.agent.wallSeconds].filter((s): s is number => s !== undefined);
  if (walls.length === 0) return undefined;
  const periodMs = Math.min(MAX_CHECK_MS, Math.max(MIN_CHECK_MS, (Math.min(...walls) * 1000) / 4));
  const timer = setInterval(check, periodMs);
  timer.unref();
  return timer;
}

type Spending = ReturnType<typeof createSpending>;

// Usage per worker, which agent each worker is, and when each agent first started.
function createSpending() {
  const usage = new Map<string, UsageTotals>();
  const agents = new Map<string, AgentName>();
  const firstSpawn = new Map<string, number>();
  return {
    fold(entry: LogEntry) {
      if (entry.type === 'agent.usage') usage.set(entry.workerId, addUsage(usage.get(entry.workerId) ?? ZERO_USAGE, entry));
      else if (entry.type === 'phase.started') agents.set(entry.workerId, entry.agent);
      else if (entry.type === 'review.started') for (const agent of entry.reviewers) agents.set(getReviewerWorkerId(entry.reviewId, agent), agent);
      else if (entry.type === 'process.spawned' && !firstSpawn.has(entry.workerId)) firstSpawn.set(entry.workerId, entry.ts);
    },
    total: () => sumUsage(usage.values()),
    // Each agent's usage over its workers, and its wall clock since its first worker started.
    byAgent(now: number): Map<AgentName, { usage: UsageTotals; wallSeconds: number }> {
      const spends = new Map<AgentName, { usage: UsageTotals; wallSeconds: number }>();
      for (const [workerId, agent] of agents) {
        const spend = spends.get(agent) ?? { usage: ZERO_USAGE, wallSeconds: 0 };
        const started = firstSpawn.get(workerId);
        spends.set(agent, {
          usage: sumUsage([spend.usage, usage.get(workerId) ?? ZERO_USAGE]),
          wallSeconds: Math.max(spend.wallSeconds, started === undefined ? 0 : (now - started) / 1000),
        });
      }
      return spends;
    },
  };
}
