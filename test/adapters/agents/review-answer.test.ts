/*
 * The final answer each vendor's normalizer puts in agent.result.output, read from real runs: the
 * *-review-* fixtures are the installed CLIs run with the review invocations (review-command.ts)
 * against the loopback fake provider, whose model answered the verdict below.
 */
import { describe, expect, it } from 'vitest';
import { FINAL_OUTPUT_CHARS } from '../../../src/adapters/agents/shared/final-output.js';
import { readReviewerResult, type AgentEventBody, type AgentName } from '../../../src/domain/index.js';
import { errorCodes, eventsOf, exited, normalizeFixture, normalizeLines } from './fixtures.js';

const VERDICT = {
  verdict: 'approve',
  findings: [{ severity: 'info', file: 'README.md', line: 1, message: 'ok' }],
  summary: 'Looks good.',
};
const VERDICT_TEXT = JSON.stringify(VERDICT);
const CODEX_READ_ONLY_STDERR =
  'Reading additional input from stdin...\nERROR codex_core::tools::router: error=patch rejected: writing is blocked by read-only sandbox; rejected by user approval settings\n';

const resultOf = (events: AgentEventBody[]) => {
  const results = eventsOf(events, 'agent.result');
  expect(results).toHaveLength(1);
  return results[0]!;
};
const reviewOf = (agent: AgentName, events: AgentEventBody[]) =>
  readReviewerResult(agent, { result: resultOf(events), lastError: eventsOf(events, 'agent.error').at(-1), exit: exited(0) });

describe('agent.result output: claude', () => {
  it('is the structured_output of a --json-schema run (the StructuredOutput tool call)', () => {
    const events = normalizeFixture('claude', 'claude-review-structured-output.jsonl', exited(0));
    expect(resultOf(events)).toMatchObject({ success: true, output: VERDICT });
    expect(eventsOf(events, 'agent.toolCall').map((call) => call.tool)).toEqual(['StructuredOutput']);
    expect(reviewOf('claude', events)).toEqual({ status: 'answered', agent: 'claude', answer: VERDICT });
  });

  it('is the final text when the model answered in text despite the nudge', () => {
    const events = normalizeFixture('claude', 'claude-review-text-answer.jsonl', exited(0));
    expect(resultOf(events)).toMatchObject({ success: true, output: VERDICT_TEXT });
    expect(reviewOf('claude', events).status).toBe('answered');
  });

  it('still carries the answer after tools the reviewer does not have were refused', () => {
    const events = normalizeFixture('claude', 'claude-review-write-attempts.jsonl', exited(0));
    expect(eventsOf(events, 'agent.toolCall').map((call) => call.tool)).toEqual(['Write', 'Bash', 'ExitPlanMode', 'StructuredOutput']);
    expect(eventsOf(events, 'agent.toolResult').map((result) => result.ok)).toEqual([false, false, false, true]);
    expect(eventsOf(events, 'agent.fileChange')).toEqual([]);
    expect(resultOf(events).output).toEqual(VERDICT);
  });

  it('is the final text of a working run, and absent from a failed one', () => {
    expect(resultOf(normalizeFixture('claude', 'claude-stream.jsonl', exited(0))).output).toBe('Done: ran the command and created hello.txt.');
    expect(resultOf(normalizeFixture('claude', 'claude-error.jsonl', exited(1)))).not.toHaveProperty('output');
  });
});

describe('agent.result output: codex', () => {
  it('is the last agent_message of an --output-schema run', () => {
    const events = normalizeFixture('codex', 'codex-review-output-schema.jsonl', exited(0));
    expect(resultOf(events)).toMatchObject({ success: true, output: VERDICT_TEXT });
    expect(reviewOf('codex', events)).toEqual({ status: 'answered', agent: 'codex', answer: VERDICT });
  });

  it('still carries the answer after the read-only sandbox refused a patch', () => {
    const events = normalizeFixture('codex', 'codex-review-write-attempts.jsonl', exited(0), CODEX_READ_ONLY_STDERR);
    expect(errorCodes(events)).toEqual(['AGENT_PERMISSION_DENIED']);
    expect(resultOf(events).output).toBe(VERDICT_TEXT);
    expect(reviewOf('codex', events).status).toBe('answered');
  });

  it('is absent when the turn failed', () => {
    expect(resultOf(normalizeFixture('codex', 'codex-error-http401-turn-failed.jsonl', exited(1)))).not.toHaveProperty('output');
  });
});

describe('agent.result output: gemini', () => {
  it('is the assistant text of a plan-mode run', () => {
    const events = normalizeFixture('gemini', 'gemini-review-plan.jsonl', exited(0));
    expect(resultOf(events)).toMatchObject({ success: true, output: VERDICT_TEXT });
    expect(reviewOf('gemini', events)).toEqual({ status: 'answered', agent: 'gemini', answer: VERDICT });
  });

  it('is the text after the last tool call, not the text before it', () => {
    const output = resultOf(normalizeFixture('gemini', 'gemini-stream.jsonl', exited(0))).output;
    expect(output).toBe('Done: ran the command and created hello.txt.');
  });

  it('is read after the policy kept every write and shell tool away', () => {
    const events = normalizeFixture('gemini', 'gemini-review-policy.jsonl', exited(0));
    expect(eventsOf(events, 'agent.toolCall').map((call) => call.tool)).toEqual(['write_file', 'exit_plan_mode', 'write_file', 'run_shell_command']);
    expect(eventsOf(events, 'agent.toolResult').every((result) => !result.ok)).toBe(true);
    expect(eventsOf(events, 'agent.fileChange')).toEqual([]);
    expect(reviewOf('gemini', events).status).toBe('answered');
  });

  it('documents why the policy exists: plan mode alone let the model leave it and write', () => {
    const events = normalizeFixture('gemini', 'gemini-review-plan-escape.jsonl', exited(0));
    expect(eventsOf(events, 'agent.toolResult').map((result) => result.ok)).toEqual([true, true, true, true]);
    expect(eventsOf(events, 'agent.fileChange').map((change) => change.path)).toContain('/tmp/rx/work/escaped.txt');
  });

  it('is absent from a failed run', () => {
    expect(resultOf(normalizeFixture('gemini', 'gemini-error.jsonl', exited(145)))).not.toHaveProperty('output');
  });
});

describe('agent.result output: size', () => {
  it(`cuts a final text to ${FINAL_OUTPUT_CHARS} characters, and the summary keeps it whole`, () => {
    const text = 'x'.repeat(FINAL_OUTPUT_CHARS * 2);
    const line = JSON.stringify({ type: 'item.completed', item: { id: 'item_0', type: 'agent_message', text } });
    const result = resultOf(normalizeLines('codex', [line, '{"type":"turn.completed","usage":{"input_tokens":1,"cached_input_tokens":0,"output_tokens":1}}'], exited(0)));
    expect((result.output as string).length).toBe(FINAL_OUTPUT_CHARS);
    expect(result.summary).toBe(text);
  });

  it('turns a structured answer too large to carry into its cut JSON text, which then does not parse', () => {
    const huge = { ...VERDICT, summary: 'word '.repeat(FINAL_OUTPUT_CHARS) };
    const line = JSON.stringify({ type: 'result', subtype: 'success', is_error: false, result: 'ok', structured_output: huge, session_id: 's' });
    const events = normalizeLines('claude', [line], exited(0));
    expect(typeof resultOf(events).output).toBe('string');
    expect(reviewOf('claude', events)).toMatchObject({ status: 'invalid', reason: 'not_json' });
  });
});
