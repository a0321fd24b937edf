import { describe, expect, it } from 'vitest';
import { decideReview, parseReviewAnswer, reviewAnswerJsonSchema, type DecisionInputs, type ReviewerResult, type Verdict } from '../../src/domain/index.js';

const finding = (severity: 'critical' | 'major' | 'minor' | 'info', message = `${severity} issue`) => ({ severity, file: 'src/a.ts', line: 3, message });
const answered = (agent: 'claude' | 'codex' | 'gemini', verdict: Verdict, findings = [finding('minor')]): ReviewerResult => ({ status: 'answered', agent, answer: { verdict, findings, summary: `${verdict} from ${agent}` } });
const timedOut: ReviewerResult = { status: 'timed_out', agent: 'gemini', afterMs: 300_000 };
const garbage: ReviewerResult = { status: 'invalid', agent: 'codex', reason: 'not_json', detail: 'no JSON object in the answer', preview: 'lol' };
const failed: ReviewerResult = { status: 'failed', agent: 'claude', code: 'AGENT_CRASHED', message: 'exit 3' };

const base: Omit<DecisionInputs, 'results'> = { round: 0, maxRounds: 2, onUnresolved: 'escalate' };

describe('decideReview', () => {
  it.each<[string, ReviewerResult[], Partial<DecisionInputs>, string, string, boolean]>([
    ['one approval', [answered('codex', 'approve')], {}, 'continue', 'all_approve', false],
    ['two approvals', [answered('codex', 'approve'), answered('gemini', 'approve')], {}, 'continue', 'all_approve', false],
    ['an approval, the other reviewer timed out', [answered('codex', 'approve'), timedOut], {}, 'continue', 'all_approve', false],
    ['an approval, the other answered garbage', [answered('codex', 'approve'), garbage], {}, 'continue', 'all_approve', false],
    ['a critical block beats an approval', [answered('codex', 'approve'), answered('gemini', 'block', [finding('critical')])], {}, 'escalate', 'critical_block', false],
    ['a critical block escalates even with rounds exhausted and continue configured', [answered('gemini', 'block', [finding('critical')])], { round: 2, onUnresolved: 'continue' }, 'escalate', 'critical_block', false],
    ['a critical finding in request_changes is not a block', [answered('codex', 'request_changes', [finding('critical')])], {}, 'revise', 'changes_requested', false],
    ['a block with nothing critical asks for changes', [answered('codex', 'block', [finding('major')])], {}, 'revise', 'changes_requested', false],
    ['changes requested, rounds left', [answered('codex', 'request_changes'), answered('gemini', 'approve')], { round: 1 }, 'revise', 'changes_requested', false],
    ['changes requested, rounds used up', [answered('codex', 'request_changes')], { round: 2 }, 'escalate', 'unresolved', false],
    ['changes requested, rounds used up, continue configured', [answered('codex', 'request_changes')], { round: 2, onUnresolved: 'continue' }, 'continue', 'unresolved', true],
    ['no valid review', [timedOut, garbage, failed], {}, 'escalate', 'unresolved', false],
    ['no valid review, continue configured', [timedOut, garbage], { onUnresolved: 'continue' }, 'continue', 'unresolved', true],
    ['no reviewer at all', [], {}, 'escalate', 'unresolved', false],
  ])('%s', (_name, results, overrides, action, rule, warning) => {
    const decision = decideReview({ ...base, ...overrides, results });
    expect({ action: decision.action, rule: decision.rule, warning: decision.warning }).toEqual({ action, rule, warning });
    expect(decision.reason.length).toBeGreaterThan(10);
  });

  it('sends back the findings of the reviewers who objected, with who found them', () => {
    const decision = decideReview({ ...base, results: [answered('codex', 'request_changes', [finding('major', 'no test')]), answered('gemini', 'approve', [finding('info', 'nice')])] });
    expect(decision.findings).toEqual([{ ...finding('major', 'no test'), agent: 'codex' }]);
    expect(decision.reason).toBe('codex asked for changes: revision round 1 of 2');
  });

  it('shows a person only the critical findings of a block', () => {
    const decision = decideReview({ ...base, results: [answered('gemini', 'block', [finding('critical', 'deletes the database'), finding('minor')])] });
    expect(decision.findings.map((f) => f.message)).toEqual(['deletes the database']);
  });

  it('says why no review was valid', () => {
    expect(decideReview({ ...base, results: [timedOut, garbage, failed] }).reason).toBe(
      'no valid review (gemini timed out, codex answered not json, claude failed (AGENT_CRASHED)): a person decides',
    );
  });
});

describe('parseReviewAnswer', () => {
  const answer = { verdict: 'approve', findings: [], summary: 'Looks right; the tests cover the change.' };

  it('takes a structured value, a bare JSON text, a fenced block or JSON inside prose', () => {
    for (const output of [answer, JSON.stringify(answer), `Here is my review:\n\`\`\`json\n${JSON.stringify(answer)}\n\`\`\``, `My verdict ${JSON.stringify(answer)} — done.`]) {
      expect(parseReviewAnswer(output)).toEqual({ ok: true, answer });
    }
  });

  it.each<[string, unknown, string]>([
    ['garbage', 'lol not json', 'not_json'],
    ['nothing', '   ', 'empty'],
    ['an unknown verdict', { ...answer, verdict: 'maybe' }, 'wrong_shape'],
    ['an extra field', { ...answer, score: 3 }, 'wrong_shape'],
    ['a finding without severity', { ...answer, findings: [{ file: null, line: null, message: 'x' }] }, 'wrong_shape'],
    ['an empty summary', { ...answer, summary: ' ' }, 'empty'],
    ['a 400-word summary', { ...answer, summary: 'word '.repeat(400) }, 'too_long'],
  ])('refuses %s, saying why', (_name, output, reason) => {
    const parsed = parseReviewAnswer(output);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toBe(reason);
  });

  it('gives the CLIs a schema of types and enums only, every property required', () => {
    const schema = JSON.stringify(reviewAnswerJsonSchema());
    expect(schema).not.toMatch(/minLength|maximum|minimum|pattern/);
    expect(schema).toContain('"additionalProperties":false');
    expect(reviewAnswerJsonSchema()).toMatchObject({ required: ['verdict', 'findings', 'summary'] });
  });
});
