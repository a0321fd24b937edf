import { z } from 'zod';

/**
 * Stable failure codes an adapter assigns to what an agent CLI reported.
 * The recovery and tier policies decide on these, never on raw texts.
 */
export const FailureCodeSchema = z.enum([
  'AGENT_NOT_INSTALLED',
  'AGENT_NOT_AUTHENTICATED',
  'AGENT_NETWORK',
  'AGENT_RATE_LIMITED',
  'AGENT_UNTRUSTED_DIRECTORY',
  'AGENT_PERMISSION_DENIED',
  'AGENT_TOOL_UNAVAILABLE',
  'AGENT_TURN_LIMIT',
  'AGENT_BUDGET',
  'AGENT_INVALID_INVOCATION',
  'AGENT_CRASHED',
  'AGENT_TIMED_OUT',
  'AGENT_STALLED',
  /** The CLI's OS sandbox cannot run here and the policy requires it (the CLI refused to start, or the probe said so). */
  'AGENT_SANDBOX_UNAVAILABLE',
  /** The agent broke the safety policy and was stopped. */
  'AGENT_POLICY_VIOLATION',
  /** The agent's process tree went over its memory or CPU limit and was stopped. */
  'AGENT_LIMIT_EXCEEDED',
]);
export type FailureCode = z.infer<typeof FailureCodeSchema>;

/** Failures that no relaunch of the same agent can fix: the agent is unavailable for this session. */
const AGENT_UNAVAILABLE: ReadonlySet<FailureCode> = new Set([
  'AGENT_NOT_INSTALLED',
  'AGENT_NOT_AUTHENTICATED',
  'AGENT_INVALID_INVOCATION',
  'AGENT_SANDBOX_UNAVAILABLE',
]);

// True when the failure means the agent cannot work in this session at all.
export function isAgentUnavailable(code: FailureCode): boolean {
  return AGENT_UNAVAILABLE.has(code);
}
