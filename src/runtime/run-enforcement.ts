import { createLimitSampler } from '../adapters/process/limit-sampler.js';
import { findPrlimit } from '../adapters/process/os-limits.js';
import type { RunLimits } from '../actors/run-guard.js';
import { PolicyConfigSchema, type ConfigFile, type PolicyConfig, type ToolCallChecker } from '../domain/index.js';

/** What the actors that run agents are given to enforce the policy, and how to let go of it. */
export interface RunEnforcement {
  deps: { checker?: ToolCallChecker; limits?: RunLimits };
  close(): void;
}

// A session's policy; a session recorded before the config had one gets the defaults.
export function getSessionPolicy(config: ConfigFile): PolicyConfig {
  return config.policy ?? PolicyConfigSchema.parse({});
}

// The tool-call checker as given, and the resource limits of the policy: the kernel's limits through
// prlimit when it is installed, and one sampler of every agent's process group for the session.
export function createRunEnforcement(policy: PolicyConfig, env: NodeJS.ProcessEnv, checker?: ToolCallChecker): RunEnforcement {
  const { memoryMb, cpuSeconds } = policy.limits;
  if (memoryMb === undefined && cpuSeconds === undefined) return { deps: { checker }, close: () => {} };
  const sampler = createLimitSampler();
  return {
    deps: { checker, limits: { memoryMb, cpuSeconds, sampler, prlimit: findPrlimit(env) } },
    close: () => sampler.close(),
  };
}
