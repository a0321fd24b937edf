import type { FailureCode } from '../../../domain/index.js';
import { COMMON_RULES, matchRules, type FailureMatch, type FailureRule } from '../shared/failure-rules.js';

/*
 * Claude Code's error texts (REPORT.md 1.3, runs/claude-*.stderr, result lines). Claude exits 1 for every
 * error, so only texts classify; `api_error_status` and result subtypes are folded into the text by the normalizer.
 */
const CLAUDE_RULES: readonly FailureRule[] = [
  // sandbox.failIfUnavailable: "Sandbox required but unavailable: ... bubblewrap (bwrap) not installed" (exit 1).
  { code: 'AGENT_SANDBOX_UNAVAILABLE', pattern: /Sandbox required but unavailable|refusing to start without a working sandbox/i },
  { code: 'AGENT_TURN_LIMIT', pattern: /error_max_turns|Reached maximum number of turns/i },
  { code: 'AGENT_BUDGET', pattern: /error_max_budget_usd|Reached maximum budget|billing_error|credit balance is too low/i },
  {
    code: 'AGENT_PERMISSION_DENIED',
    pattern: /requested permissions to \w+|haven't granted it yet|permission_denials/i,
  },
  {
    code: 'AGENT_NOT_AUTHENTICATED',
    pattern: /Not logged in|Please run \/login|Invalid API key|authentication_failed|oauth_org_not_allowed|OAuth token has expired/i,
  },
  {
    code: 'AGENT_INVALID_INVOCATION',
    pattern:
      /^error: (option|unknown option|too many arguments|missing required)|is invalid\. Allowed choices|requires --verbose|requires output-format|cannot be used with root\/sudo|Input must be provided|Invalid session ID|is already in use|No conversation found with session ID|model_not_found|invalid_request/i,
  },
  { code: 'AGENT_RATE_LIMITED', pattern: /overloaded/i },
  { code: 'AGENT_NETWORK', pattern: /server_error|API Error: 5\d\d/i },
  ...COMMON_RULES,
];

// Classifies a Claude error text, returning the line it matched.
export function matchClaudeFailure(text: string, _exitCode: number | null): FailureMatch | undefined {
  return matchRules(text, CLAUDE_RULES);
}

// Classifies a Claude error text (a result's errors, an assistant error, a stderr tail).
export function classifyClaudeFailure(text: string, exitCode: number | null): FailureCode | undefined {
  return matchClaudeFailure(text, exitCode)?.code;
}

/** The texts of a tool call the permission rules refused (OBSERVED in claude-permission-denied.jsonl). */
const PERMISSION_DENIAL = /requested permissions to \w+|haven't granted it yet/i;

// True when a failed tool result is a permission refusal rather than the tool's own failure.
export function isClaudePermissionDenial(text: string): boolean {
  return PERMISSION_DENIAL.test(text);
}
