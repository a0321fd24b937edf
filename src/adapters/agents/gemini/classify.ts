import type { FailureCode } from '../../../domain/index.js';
import { COMMON_RULES, lastLine, matchRules, type FailureMatch, type FailureRule } from '../shared/failure-rules.js';

/* Gemini CLI's error texts (REPORT.md 3.3, runs/gemini-*.stderr, result and tool_result errors). */
const GEMINI_RULES: readonly FailureRule[] = [
  // --sandbox without a container runtime (exit 44), or one whose daemon or image is missing (exit 1).
  {
    code: 'AGENT_SANDBOX_UNAVAILABLE',
    pattern: /FatalSandboxError|failed to determine command for sandbox|Missing sandbox command|Sandbox image .* is missing/i,
  },
  { code: 'AGENT_UNTRUSTED_DIRECTORY', pattern: /not running in a trusted directory|FatalUntrustedWorkspaceError/i },
  { code: 'AGENT_TURN_LIMIT', pattern: /Reached max session turns|FatalTurnLimitedError/i },
  { code: 'AGENT_TOOL_UNAVAILABLE', pattern: /tool_not_registered|Tool "[^"]+" not found/i },
  { code: 'AGENT_PERMISSION_DENIED', pattern: /Path not in workspace|resolves outside the allowed workspace/i },
  {
    code: 'AGENT_NOT_AUTHENTICATED',
    pattern: /Please set an Auth method|Invalid auth method selected|API key not valid|FatalAuthenticationError/i,
  },
  {
    code: 'AGENT_INVALID_INVOCATION',
    pattern:
      /^Invalid values:|^Unknown arguments?:|Cannot use both --yolo|No input provided via stdin|Error resuming session|Error starting session|Directory does not exist|FatalConfigError/i,
  },
  ...COMMON_RULES,
];

/*
 * Exit codes (Fatal*Error classes in the bundle). In json/stream-json mode an API error exits with its HTTP
 * status & 0xFF: 401 → 145 (OBSERVED), 403 → 147, 429 → 173, 400 → 144, 404 → 148, 5xx → 244..248.
 * 54 (tool execution) and 130 (cancelled) are left to the caller.
 */
const EXIT_CODES: Readonly<Record<number, FailureCode>> = {
  41: 'AGENT_NOT_AUTHENTICATED',
  42: 'AGENT_INVALID_INVOCATION',
  44: 'AGENT_SANDBOX_UNAVAILABLE',
  52: 'AGENT_INVALID_INVOCATION',
  53: 'AGENT_TURN_LIMIT',
  55: 'AGENT_UNTRUSTED_DIRECTORY',
  144: 'AGENT_INVALID_INVOCATION',
  145: 'AGENT_NOT_AUTHENTICATED',
  147: 'AGENT_NOT_AUTHENTICATED',
  148: 'AGENT_INVALID_INVOCATION',
  173: 'AGENT_RATE_LIMITED',
  244: 'AGENT_NETWORK',
  246: 'AGENT_NETWORK',
  247: 'AGENT_NETWORK',
  248: 'AGENT_NETWORK',
};

// Classifies a Gemini error text, else its exit code, returning the line it was derived from.
export function matchGeminiFailure(text: string, exitCode: number | null): FailureMatch | undefined {
  const match = matchRules(text, GEMINI_RULES);
  if (match || exitCode === null) return match;
  const code = EXIT_CODES[exitCode];
  return code && { code, text: lastLine(text) ?? `gemini exited with code ${exitCode}` };
}

// Classifies a Gemini error text (a result or tool error, a stderr tail) and exit code.
export function classifyGeminiFailure(text: string, exitCode: number | null): FailureCode | undefined {
  return matchGeminiFailure(text, exitCode)?.code;
}
