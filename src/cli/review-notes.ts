import { AGENT_LABELS, type AgentName, type Decision, type ReviewerResult } from '../domain/index.js';
import type { ReviewNote } from '../runtime/session-tables.js';
import type { NoteRecord } from '../store/session-store.js';

// The stored reviews and decisions of a session as lines a person reads: each reviewer's verdict
// and findings, the files it was shown, and the decision with the rule that fired. Bodies of
// another shape (an older orchestrate) are shown as JSON rather than dropped.
export function formatReviewNotes(reviews: readonly NoteRecord[], decisions: readonly NoteRecord[]): string[] {
  if (reviews.length === 0 && decisions.length === 0) return ['Reviews: none'];
  const decided = new Map(decisions.map((d) => [(d.body as { reviewId?: string } | null)?.reviewId, d.body as Partial<Decision>]));
  const lines = ['Reviews:'];
  for (const record of reviews) {
    const review = record.body as Partial<ReviewNote> | null;
    if (!review?.reviewId || !Array.isArray(review.results)) {
      lines.push(`  #${record.seq} ${JSON.stringify(record.body)}`);
      continue;
    }
    const files = review.diff?.files.map((f) => f.path).join(', ') || 'no files';
    lines.push(`  ${review.reviewId} (${review.phaseId}, ${review.trigger}${review.round ? `, round ${review.round}` : ''}; shown: ${files}${review.diff?.truncated ? ', diff cut short' : ''})`);
    for (const result of review.results) lines.push(...describeResult(result));
    const decision = decided.get(review.reviewId);
    if (decision?.action) lines.push(`    decision: ${decision.action} (${decision.rule}${decision.warning ? ', with a warning' : ''}): ${decision.reason}`);
  }
  return lines;
}

function describeResult(result: ReviewerResult): string[] {
  const who = `    ${AGENT_LABELS[result.agent as AgentName] ?? result.agent}`;
  switch (result.status) {
    case 'answered':
      return [
        `${who}: ${result.answer.verdict}: ${result.answer.summary}`,
        ...result.answer.findings.map((f) => `      [${f.severity}] ${f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : ''}${f.message}`),
      ];
    case 'invalid':
      return [`${who}: answer not taken (${result.reason}: ${result.detail})`];
    case 'timed_out':
      return [`${who}: timed out after ${Math.round(result.afterMs / 1000)} s`];
    case 'failed':
      return [`${who}: failed (${result.code}: ${result.message})`];
  }
}
