import type { FailureCode } from '../../../domain/index.js';
import { COMMON_RULES, lastLine, matchRules, type FailureMatch, type FailureRule } from '../shared/failure-rules.js';

/* Codex's error texts (REPORT.md 2.3, runs/codex-*.stderr, turn.failed and error events). */
const CODEX_RULES: readonly FailureRule[] = [
  { code: 'AGENT_UNTRUSTED_DIRECTORY', pattern: /Not inside a trusted directory/i },
  {
    code: 'AGENT_PERMISSION_DENIED',
    pattern: /patch rejected|blocked by read-only sandbox|rejected by user approval settings/i,
  },
  {
    code: 'AGENT_INVALID_INVOCATION',
    pattern:
      /^error: (unexpected argument|invalid value|unrecognized subcommand|the argument|a value is required)|No prompt provided|no rollout found for thread id|No such file or directory \(os error 2\)/i,
  },
  { code: 'AGENT_NOT_AUTHENTICATED', pattern: /Incorrect API key|Missing (OpenAI )?API key|not logged in|401 Unauthorized/i },
  { code: 'AGENT_RATE_LIMITED', pattern: /usage limit/i },
  ...COMMON_RULES,
];

/** clap exits 2 on a usage error; every runtime error exits 1, which says nothing on its own. */
const USAGE_EXIT_CODE = 2;

// Classifies a Codex error text or exit code, returning the line it was derived from.
export function matchCodexFailure(text: string, exitCode: number | null): FailureMatch | undefined {
  const match = matchRules(text, CODEX_RULES);
  if (match || exitCode !== USAGE_EXIT_CODE) return match;
  const usage = matchRules(text, [{ code: 'AGENT_INVALID_INVOCATION', pattern: /^error:/i }]);
  return usage ?? { code: 'AGENT_INVALID_INVOCATION', text: lastLine(text) ?? `codex exited with code ${exitCode}` };
}

// Classifies a Codex error text (turn.failed, an error event, a stderr tail) and exit code.
export function classifyCodexFailure(text: string, exitCode: number | null): FailureCode | undefined {
  return matchCodexFailure(text, exitCode)?.code;
}

/** Sandbox rejections never reach the JSONL: only this stderr log line tells (codex-mock-readonly-sandbox). */
const SANDBOX_REJECTION = /patch rejected|blocked by read-only sandbox/i;

// The stderr line that reports a write the sandbox refused, if any.
export function findSandboxRejection(stderrTail: string): FailureMatch | undefined {
  return matchRules(stderrTail, [{ code: 'AGENT_PERMISSION_DENIED', pattern: SANDBOX_REJECTION }]);
}
