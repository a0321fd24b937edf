import type { AgentName } from './agents.js';
import type { BudgetConfig } from './policy-config.js';
import type { UsageTotals } from './usage.js';

/** What a budget is measured against: the usage so far, and how long since the clock started. */
export interface BudgetSpend {
  usage: UsageTotals;
  wallSeconds: number;
}

/** A budget that is used up, as `budget.exceeded` records it. */
export interface BudgetBreach {
  scope: 'session' | 'agent';
  budget: 'tokens' | 'costUsd' | 'wallSeconds';
  used: number;
  max: number;
  agent?: AgentName;
}

type BudgetName = BudgetBreach['budget'];

const MEASURES: Record<BudgetName, (spend: BudgetSpend) => number> = {
  tokens: (spend) => spend.usage.inputTokens + spend.usage.outputTokens,
  costUsd: (spend) => spend.usage.costUsd,
  wallSeconds: (spend) => spend.wallSeconds,
};

// The budgets of one scope that a spend has reached: reaching the amount uses it up.
export function findSpentBudgets(config: BudgetConfig, spend: BudgetSpend, scope: BudgetBreach['scope'], agent?: AgentName): BudgetBreach[] {
  const spent: BudgetBreach[] = [];
  for (const budget of Object.keys(MEASURES) as BudgetName[]) {
    const max = config[budget];
    const used = MEASURES[budget](spend);
    if (max === undefined || used < max) continue;
    spent.push(agent === undefined ? { scope, budget, used, max } : { scope, budget, used, max, agent });
  }
  return spent;
}

// A budget's identity, so that each one is reported once.
export function getBudgetKey(breach: Pick<BudgetBreach, 'scope' | 'budget' | 'agent'>): string {
  return `${breach.scope}:${breach.agent ?? ''}:${breach.budget}`;
}
