import { z } from 'zod';

/*
 * The safety policy as the config file and the flags give it. One policy, compiled down to every
 * layer: the CLIs' own sandbox and permission flags at launch, the check of each tool call in the
 * event stream, budgets, and resource limits on each agent's process tree.
 */

const Budget = z
  .object({
    tokens: z.number().int().positive().optional(),
    costUsd: z.number().positive().optional(),
    wallSeconds: z.number().positive().optional(),
  })
  .strict();

export const PolicyConfigSchema = z
  .object({
    /** Directories agents may write besides the session worktree and the extra directories; relative to the target. */
    roots: z.array(z.string().min(1)).default([]),
    /**
     * Command rules, matched on parsed commands (program and leading arguments, e.g. "git push",
     * "rm -rf", "npm publish"). Deny wins over ask, ask over allow; a command no rule names is allowed
     * (the sandbox holds it). Absent lists take the built-in defaults.
     */
    commands: z
      .object({
        allow: z.array(z.string().min(1)).optional(),
        ask: z.array(z.string().min(1)).optional(),
        deny: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .default({}),
    /** What a command that cannot be parsed, or hides what it runs (eval, $(...), a script from a pipe), gets. */
    unparsable: z.enum(['ask', 'deny']).default('ask'),
    /** Whether agents may reach the network from their sandbox. */
    network: z.boolean().default(false),
    /** `required`: an agent whose CLI cannot be sandboxed does not run. `off` runs them unsandboxed, and the session records it. */
    sandbox: z.enum(['required', 'off']).default('required'),
    budgets: z.object({ session: Budget.default({}), agent: Budget.default({}) }).strict().default({ session: {}, agent: {} }),
    /** Limits on each agent's whole process tree. */
    limits: z
      .object({
        memoryMb: z.number().int().positive().optional(),
        cpuSeconds: z.number().int().positive().optional(),
      })
      .strict()
      .default({}),
    /** After a violation stops an agent: go on with the remaining agents (the tier drops), or fail the session. */
    onViolation: z.enum(['fallback', 'fail']).default('fallback'),
  })
  .strict();
export type PolicyConfig = z.infer<typeof PolicyConfigSchema>;
export type BudgetConfig = z.infer<typeof Budget>;

/** What the policy says of one tool call or command: go ahead, ask a person first, or stop the agent. */
export interface PolicyVerdict {
  decision: 'allow' | 'ask' | 'deny';
  /** One sentence a person reads: what matched and why. */
  reason: string;
  /** The rule that decided, as the config names it (e.g. "git push", "outside the allowed roots"). */
  rule?: string;
}

/** A tool call as the policy sees it (the normalized `agent.toolCall`). */
export interface ToolCallFacts {
  tool: string;
  kind: 'shell' | 'write' | 'edit' | 'read' | 'search' | 'web' | 'mcp' | 'other';
  command?: string;
  path?: string;
}

/** Decides a tool call; built once per session from the policy and the session's directories. */
export type ToolCallChecker = (call: ToolCallFacts) => PolicyVerdict;

/** Command-line overrides of the config's policy (`run --network --budget-cost 5`...); each set field wins. */
export interface PolicyOverrides {
  sandbox?: PolicyConfig['sandbox'];
  network?: boolean;
  onViolation?: PolicyConfig['onViolation'];
  budgets?: { session?: BudgetConfig; agent?: BudgetConfig };
  limits?: Partial<PolicyConfig['limits']>;
}

// The config's policy with the overrides laid over it; fields the overrides leave unset keep the config's value.
export function applyPolicyOverrides(policy: PolicyConfig, overrides: PolicyOverrides): PolicyConfig {
  const { budgets, limits, ...scalars } = overrides;
  return {
    ...policy,
    ...withoutUndefined(scalars),
    budgets: {
      session: { ...policy.budgets.session, ...withoutUndefined(budgets?.session ?? {}) },
      agent: { ...policy.budgets.agent, ...withoutUndefined(budgets?.agent ?? {}) },
    },
    limits: { ...policy.limits, ...withoutUndefined(limits ?? {}) },
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
