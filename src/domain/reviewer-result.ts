import type { AgentEventOf } from './agent-event.js';
import type { AgentName } from './agents.js';
import { parseReviewAnswer, type ReviewerResult } from './review.js';

/** How much of an answer that was not taken a review keeps, so a person can see what the reviewer said. */
export const ANSWER_PREVIEW_CHARS = 500;

/** What a reviewer's run left behind once it ended by itself. */
export interface ReviewerRun {
  /** The run's last agent.result, if it reported one. */
  result?: AgentEventOf<'agent.result'>;
  /** The last agent.error it reported: the cause when the run failed. */
  lastError?: AgentEventOf<'agent.error'>;
  exit: { exitCode: number | null; signal: string | null };
}

// The result of a reviewer's run (a timeout is the caller's to report). A run that succeeded and exited
// cleanly is judged on its answer, which is taken, or recorded as invalid with what it said; any other
// run failed, with the last error it reported.
export function readReviewerResult(agent: AgentName, run: ReviewerRun): ReviewerResult {
  const { result, lastError, exit } = run;
  if (result?.success === true && exit.exitCode === 0 && exit.signal === null) {
    const output = result.output ?? result.summary;
    const parsed = parseReviewAnswer(output);
    if (parsed.ok) return { status: 'answered', agent, answer: parsed.answer };
    return { status: 'invalid', agent, reason: parsed.reason, detail: parsed.detail, preview: previewAnswer(output) };
  }
  const message = lastError?.message ?? (result?.summary || `the reviewer ${describeExit(exit)} without an answer`);
  return { status: 'failed', agent, code: lastError?.code ?? 'AGENT_CRASHED', message };
}

// The start of an answer, as text.
function previewAnswer(output: unknown): string {
  const text = typeof output === 'string' ? output : (JSON.stringify(output) ?? String(output));
  if (text.length <= ANSWER_PREVIEW_CHARS) return text;
  // Never end on half a surrogate pair.
  const cut = text.slice(0, ANSWER_PREVIEW_CHARS - 1).replace(/[\uD800-\uDBFF]$/, '');
  return `${cut}…`;
}

function describeExit(exit: ReviewerRun['exit']): string {
  if (exit.signal !== null) return `was killed by ${exit.signal}`;
  return exit.exitCode === null ? 'ended' : `exited with code ${exit.exitCode}`;
}
