import { z } from 'zod';
import { AgentNameSchema } from './agents.js';
import { FailureCodeSchema } from './failure.js';

/** How bad a finding is; only `critical` inside a `block` stops the session for a person. */
export const SeveritySchema = z.enum(['critical', 'major', 'minor', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

/** A reviewer's verdict on the work it was shown. */
export const VerdictSchema = z.enum(['approve', 'request_changes', 'block']);
export type Verdict = z.infer<typeof VerdictSchema>;

/** The longest review summary accepted, in words. */
export const MAX_SUMMARY_WORDS = 200;

/**
 * One finding. Every field is present (null when it does not apply), and the schema uses no keyword
 * beyond types and enums: the structured-output modes of the CLIs (Codex's `--output-schema`, which
 * is OpenAI's strict mode) accept only such schemas, with every property required.
 */
export const FindingSchema = z.strictObject({
  severity: SeveritySchema,
  /** The file it is about, relative to the worktree. */
  file: z.string().nullable(),
  line: z.number().nullable(),
  message: z.string(),
});
export type Finding = z.infer<typeof FindingSchema>;

/** What a reviewer must answer, exactly. */
export const ReviewAnswerSchema = z.strictObject({
  verdict: VerdictSchema,
  findings: z.array(FindingSchema),
  summary: z.string(),
});
export type ReviewAnswer = z.infer<typeof ReviewAnswerSchema>;

// The answer's JSON Schema, handed to the CLIs that can enforce it (Claude --json-schema, Codex --output-schema).
export function reviewAnswerJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ReviewAnswerSchema, { target: 'draft-7' }) as Record<string, unknown>;
}

/** Why a reviewer's answer was not taken. */
export const InvalidAnswerReasonSchema = z.enum(['not_json', 'wrong_shape', 'too_long', 'empty']);
export type InvalidAnswerReason = z.infer<typeof InvalidAnswerReasonSchema>;

/** A reviewer's answer read from its output, or why it could not be taken. */
export type ParsedAnswer = { ok: true; answer: ReviewAnswer } | { ok: false; reason: InvalidAnswerReason; detail: string };

// Reads a reviewer's answer: a structured value when the CLI enforced the schema, else the final
// text, which may wrap the JSON object in prose or a code fence. A summary over the word limit is
// not silently cut: the answer is invalid, and says so.
export function parseReviewAnswer(output: unknown): ParsedAnswer {
  let value = output;
  if (typeof output === 'string') {
    const text = output.trim();
    if (text === '') return { ok: false, reason: 'empty', detail: 'the reviewer gave no answer' };
    const json = extractJsonObject(text);
    if (json === undefined) return { ok: false, reason: 'not_json', detail: 'no JSON object in the answer' };
    value = json;
  }
  const parsed = ReviewAnswerSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: 'wrong_shape', detail: parsed.error.issues.map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`).join('; ') };
  const words = countWords(parsed.data.summary);
  if (words === 0) return { ok: false, reason: 'empty', detail: 'the summary is empty' };
  if (words > MAX_SUMMARY_WORDS) return { ok: false, reason: 'too_long', detail: `the summary has ${words} words; at most ${MAX_SUMMARY_WORDS} are allowed` };
  return { ok: true, answer: parsed.data };
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

// The first JSON object in a text: the whole text, a fenced block, or the outermost braces.
function extractJsonObject(text: string): unknown {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n\s*```/.exec(text)?.[1];
  const braces = text.indexOf('{') >= 0 ? text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1) : undefined;
  for (const candidate of [text, fenced, braces]) {
    if (candidate === undefined) continue;
    try {
      const value: unknown = JSON.parse(candidate);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
    } catch {
      // Not this one.
    }
  }
  return undefined;
}

/** What became of one reviewer's call. */
export const ReviewerResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('answered'), agent: AgentNameSchema, answer: ReviewAnswerSchema }),
  z.object({ status: z.literal('invalid'), agent: AgentNameSchema, reason: InvalidAnswerReasonSchema, detail: z.string(), preview: z.string() }),
  z.object({ status: z.literal('timed_out'), agent: AgentNameSchema, afterMs: z.number() }),
  z.object({ status: z.literal('failed'), agent: AgentNameSchema, code: FailureCodeSchema, message: z.string() }),
]);
export type ReviewerResult = z.infer<typeof ReviewerResultSchema>;

/** What the session does after a review. */
export const ReviewActionSchema = z.enum(['continue', 'revise', 'escalate']);
export type ReviewAction = z.infer<typeof ReviewActionSchema>;

/** The four rules, in the order they are tried. */
export const DecisionRuleSchema = z.enum(['critical_block', 'all_approve', 'changes_requested', 'unresolved']);
export type DecisionRule = z.infer<typeof DecisionRuleSchema>;

/** What to do when no review is valid or the revision rounds are used up. */
export const UnresolvedActionSchema = z.enum(['escalate', 'continue']);
export type UnresolvedAction = z.infer<typeof UnresolvedActionSchema>;

/** One file of a reviewed diff: its path and line counts (null for a binary file). */
export interface ReviewFileStat {
  path: string;
  added: number | null;
  deleted: number | null;
}

/** Why a review cycle ran. */
export const ReviewTriggerSchema = z.enum(['phase.finished', 'milestone', 'blocker', 'agent.request', 'person', 'interval']);
export type ReviewTrigger = z.infer<typeof ReviewTriggerSchema>;

/** What the policy decides on. */
export interface DecisionInputs {
  results: readonly ReviewerResult[];
  /** Revision rounds already made for this work (0 on its first review). */
  round: number;
  maxRounds: number;
  onUnresolved: UnresolvedAction;
}

export const DecisionSchema = z.object({
  action: ReviewActionSchema,
  rule: DecisionRuleSchema,
  /** One sentence a person reads. */
  reason: z.string(),
  /** Set when the session goes on although the review did not settle it (rule 4, configured to continue). */
  warning: z.boolean(),
  /** What the author is asked to fix (revise), or what a person is shown (escalate). */
  findings: z.array(FindingSchema.extend({ agent: AgentNameSchema })),
  /** What the rule fired on: each reviewer's outcome, the round and the settings. */
  inputs: z.object({
    reviews: z.array(z.object({ agent: AgentNameSchema, status: z.enum(['answered', 'invalid', 'timed_out', 'failed']), verdict: VerdictSchema.optional() })),
    round: z.number(),
    maxRounds: z.number(),
    onUnresolved: UnresolvedActionSchema,
  }),
});
export type Decision = z.infer<typeof DecisionSchema>;

// The decision policy, pure. Rules in order: (1) a block with a critical finding escalates to a
// person; (2) at least one valid review, all approving, continues; (3) requested changes (or a
// block naming nothing critical) send the findings back to the author, while rounds remain;
// (4) otherwise, with no valid review or no rounds left, escalate, or continue with a warning
// when so configured.
export function decideReview(inputs: DecisionInputs): Decision {
  const decision = (action: ReviewAction, rule: DecisionRule, reason: string, findings: Decision['findings']): Decision => ({
    action,
    rule,
    reason,
    warning: false,
    findings,
    inputs: {
      reviews: inputs.results.map((result) => ({ agent: result.agent, status: result.status, ...(result.status === 'answered' ? { verdict: result.answer.verdict } : {}) })),
      round: inputs.round,
      maxRounds: inputs.maxRounds,
      onUnresolved: inputs.onUnresolved,
    },
  });
  const answered = inputs.results.flatMap((result) => (result.status === 'answered' ? [{ agent: result.agent, ...result.answer }] : []));
  const findingsOf = (reviews: typeof answered) => reviews.flatMap((review) => review.findings.map((finding) => ({ ...finding, agent: review.agent })));
  const criticalBlocks = answered.filter((review) => review.verdict === 'block' && review.findings.some((finding) => finding.severity === 'critical'));
  if (criticalBlocks.length > 0) {
    const critical = findingsOf(criticalBlocks).filter((finding) => finding.severity === 'critical');
    return decision('escalate', 'critical_block', `${agentsOf(criticalBlocks)} blocked the work with ${plural(critical.length, 'critical finding')}: a person decides`, critical);
  }
  if (answered.length > 0 && answered.every((review) => review.verdict === 'approve')) {
    return decision('continue', 'all_approve', `${plural(answered.length, 'valid review')}, all approving`, []);
  }
  const objecting = answered.filter((review) => review.verdict !== 'approve');
  if (objecting.length > 0 && inputs.round < inputs.maxRounds) {
    return decision('revise', 'changes_requested', `${agentsOf(objecting)} asked for changes: revision round ${inputs.round + 1} of ${inputs.maxRounds}`, findingsOf(objecting));
  }
  const why = answered.length === 0 ? `no valid review (${describeMissing(inputs.results)})` : `changes still requested after ${plural(inputs.round, 'revision round')}`;
  if (inputs.onUnresolved === 'continue') return { ...decision('continue', 'unresolved', `${why}; going on as configured`, findingsOf(objecting)), warning: true };
  return decision('escalate', 'unresolved', `${why}: a person decides`, findingsOf(objecting));
}

function agentsOf(reviews: readonly { agent: string }[]): string {
  return [...new Set(reviews.map((review) => review.agent))].join(' and ');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function describeMissing(results: readonly ReviewerResult[]): string {
  if (results.length === 0) return 'no other agent could review';
  return results.map((result) => `${result.agent} ${result.status === 'timed_out' ? 'timed out' : result.status === 'invalid' ? `answered ${result.reason.replace('_', ' ')}` : result.status === 'failed' ? `failed (${result.code})` : 'answered'}`).join(', ');
}
