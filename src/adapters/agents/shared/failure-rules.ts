import type { FailureCode } from '../../../domain/index.js';
import { previewText, stripAnsi } from './preview.js';

/** A failure code with the line of text it was derived from. */
export interface FailureMatch {
  code: FailureCode;
  text: string;
}

/** One recognised error text. Rules are tried in order, so the more specific ones come first. */
export interface FailureRule {
  code: FailureCode;
  pattern: RegExp;
}

/** Classifies a text and an exit code; each adapter has one, built from its CLI's real error texts. */
export type FailureMatcher = (text: string, exitCode: number | null) => FailureMatch | undefined;

/*
 * Texts the three CLIs share: Node and Rust network errors, HTTP status phrases. Kept after each
 * vendor's own rules, because a vendor text such as "Reconnecting... (401 ...)" means something more specific.
 */
export const COMMON_RULES: readonly FailureRule[] = [
  { code: 'AGENT_NOT_INSTALLED', pattern: /\bspawn\b.*\bENOENT\b|: command not found/ },
  { code: 'AGENT_RATE_LIMITED', pattern: /\b429\b|too many requests|rate[ _-]?limit|RESOURCE_EXHAUSTED|quota exceeded/i },
  {
    code: 'AGENT_NOT_AUTHENTICATED',
    pattern: /\b401\b|\bunauthori[sz]ed\b|UNAUTHENTICATED|invalid api key|api key not valid|incorrect api key/i,
  },
  {
    code: 'AGENT_NETWORK',
    pattern:
      /ECONNREFUSED|ConnectionRefused|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|fetch failed|getaddrinfo|Name does not resolve|failed to lookup address|Unable to connect to API|Connection failed|failed to connect|error sending request|stream disconnected|waiting for network|network is unreachable/i,
  },
];

// Finds the first rule (in rule order) that matches any line of the text; returns the code and that line.
export function matchRules(text: string, rules: readonly FailureRule[]): FailureMatch | undefined {
  if (text === '') return undefined;
  const lines = stripAnsi(text)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  for (const rule of rules) {
    const line = lines.find((candidate) => rule.pattern.test(candidate));
    if (line !== undefined) return { code: rule.code, text: previewText(line) };
  }
  return undefined;
}

// The last meaningful line of a stderr tail, used as the message when only the exit code classified a failure.
export function lastLine(text: string): string | undefined {
  const lines = stripAnsi(text)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const last = lines.at(-1);
  return last === undefined ? undefined : previewText(last);
}
