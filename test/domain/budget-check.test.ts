import { describe, expect, it } from 'vitest';
import { findSpentBudgets, getBudgetKey } from '../../src/domain/index.js';

const spend = (inputTokens: number, outputTokens: number, costUsd: number, wallSeconds: number) => ({
  usage: { inputTokens, outputTokens, costUsd },
  wallSeconds,
});

describe('findSpentBudgets', () => {
  it.each([
    ['nothing is set', {}, spend(1e9, 1e9, 1e6, 1e6), []],
    ['under every budget', { tokens: 1000, costUsd: 1, wallSeconds: 60 }, spend(400, 500, 0.99, 59), []],
    ['tokens count input and output, and reaching the budget spends it', { tokens: 1000 }, spend(400, 600, 0, 0), [{ budget: 'tokens', used: 1000, max: 1000 }]],
    ['cost over', { costUsd: 1 }, spend(0, 0, 1.25, 0), [{ budget: 'costUsd', used: 1.25, max: 1 }]],
    ['wall clock over', { wallSeconds: 60 }, spend(0, 0, 0, 61), [{ budget: 'wallSeconds', used: 61, max: 60 }]],
    [
      'several at once, in a fixed order',
      { tokens: 10, costUsd: 1, wallSeconds: 1 },
      spend(10, 0, 2, 2),
      [
        { budget: 'tokens', used: 10, max: 10 },
        { budget: 'costUsd', used: 2, max: 1 },
        { budget: 'wallSeconds', used: 2, max: 1 },
      ],
    ],
  ])('%s', (_name, config, spent, expected) => {
    expect(findSpentBudgets(config, spent, 'session')).toEqual(expected.map((b) => ({ scope: 'session', ...b })));
  });

  it("names the agent of an agent's budget", () => {
    expect(findSpentBudgets({ costUsd: 1 }, spend(0, 0, 1, 0), 'agent', 'codex')).toEqual([{ scope: 'agent', budget: 'costUsd', used: 1, max: 1, agent: 'codex' }]);
  });
});

describe('getBudgetKey', () => {
  it("tells the session's budgets from each agent's", () => {
    const keys = new Set([
      getBudgetKey({ scope: 'session', budget: 'costUsd' }),
      getBudgetKey({ scope: 'agent', budget: 'costUsd', agent: 'claude' }),
      getBudgetKey({ scope: 'agent', budget: 'costUsd', agent: 'codex' }),
      getBudgetKey({ scope: 'agent', budget: 'tokens', agent: 'codex' }),
    ]);
    expect(keys.size).toBe(4);
  });
});
