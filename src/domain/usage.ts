import type { AgentEventOf } from './agent-event.js';

/** Tokens and cost of one worker, or of a whole session. */
export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export const ZERO_USAGE: UsageTotals = { inputTokens: 0, outputTokens: 0, costUsd: 0 };

// Folds one usage event into a worker's totals: run totals replace, increments add.
export function addUsage(current: UsageTotals, event: AgentEventOf<'agent.usage'>): UsageTotals {
  const next = { inputTokens: event.inputTokens, outputTokens: event.outputTokens, costUsd: event.costUsd ?? 0 };
  if (event.total) return next;
  return {
    inputTokens: current.inputTokens + next.inputTokens,
    outputTokens: current.outputTokens + next.outputTokens,
    costUsd: current.costUsd + next.costUsd,
  };
}

// Sums the totals of several workers.
export function sumUsage(all: Iterable<UsageTotals>): UsageTotals {
  let sum = ZERO_USAGE;
  for (const u of all) {
    sum = { inputTokens: sum.inputTokens + u.inputTokens, outputTokens: sum.outputTokens + u.outputTokens, costUsd: sum.costUsd + u.costUsd };
  }
  return sum;
}
