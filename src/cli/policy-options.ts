import { type Command, InvalidArgumentError, Option } from 'commander';
import type { PolicyOverrides } from '../domain/index.js';

/** The policy flags as commander parses them. */
export interface PolicyFlags {
  allowUnsandboxed?: boolean;
  network?: boolean;
  budgetCost?: number;
  budgetTokens?: number;
  budgetMinutes?: number;
  agentBudgetCost?: number;
  memoryMb?: number;
  cpuSeconds?: number;
  onViolation?: 'fallback' | 'fail';
}

function parsePositive(what: string, integer: boolean) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
      throw new InvalidArgumentError(`${what} is a ${integer ? 'whole number' : 'number'} above 0`);
    }
    return number;
  };
}

// The flags that override the config's policy section, for every command that starts a session.
export function addPolicyOptions(command: Command): Command {
  return command
    .option('--allow-unsandboxed', 'run agents whose CLI cannot be sandboxed here without their sandbox (policy.sandbox "off"); the session records it')
    .option('--network', 'let agents reach the network from their sandbox (policy.network)')
    .option('--no-network', 'keep agents off the network, whatever the config says')
    .option('--budget-cost <usd>', "the session's budget in US dollars (policy.budgets.session.costUsd)", parsePositive('--budget-cost', false))
    .option('--budget-tokens <n>', "the session's budget in tokens (policy.budgets.session.tokens)", parsePositive('--budget-tokens', true))
    .option('--budget-minutes <m>', "the session's budget in minutes of wall-clock time (policy.budgets.session.wallSeconds)", parsePositive('--budget-minutes', false))
    .option('--agent-budget-cost <usd>', "each agent's budget in US dollars (policy.budgets.agent.costUsd)", parsePositive('--agent-budget-cost', false))
    .option('--memory-mb <n>', "the memory limit of each agent's process tree (policy.limits.memoryMb)", parsePositive('--memory-mb', true))
    .option('--cpu-seconds <n>', "the CPU-time limit of each agent's process tree (policy.limits.cpuSeconds)", parsePositive('--cpu-seconds', true))
    .addOption(new Option('--on-violation <mode>', 'after a violation stops an agent: go on with the others, or fail the session (policy.onViolation)').choices(['fallback', 'fail']));
}

// The overrides the flags given make; flags not given leave the config's value.
export function toPolicyOverrides(flags: PolicyFlags): PolicyOverrides {
  return {
    sandbox: flags.allowUnsandboxed ? 'off' : undefined,
    network: flags.network,
    onViolation: flags.onViolation,
    budgets: {
      session: { costUsd: flags.budgetCost, tokens: flags.budgetTokens, wallSeconds: flags.budgetMinutes === undefined ? undefined : flags.budgetMinutes * 60 },
      agent: { costUsd: flags.agentBudgetCost },
    },
    limits: { memoryMb: flags.memoryMb, cpuSeconds: flags.cpuSeconds },
  };
}
