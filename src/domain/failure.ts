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
]);
export type FailureCode = z.infer<typeof FailureCodeSchema>;

/** Failures that no relaunch of the same agent can fix: the agent is unavailable for this session. */
const AGENT_UNAVAILABLE: ReadonlySet<FailureCode> = new Set([
  'AGENT_NOT_INSTALLED',
  'AGENT_NOT_AUTHENTICATED',
  'AGENT_INVALID_INVOCATION',
]);

// True when the failure means the agent cannot work in this session at all.
export function isAgentUnavailable(code: FailureCode): boolean {
  return AGENT_UNAVAILABLE.has(code);
}
