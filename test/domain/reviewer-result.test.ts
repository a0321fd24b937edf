import { describe, expect, it } from 'vitest';
import { ANSWER_PREVIEW_CHARS, readReviewerResult, type ReviewerRun } from '../../src/domain/index.js';

const ANSWER = { verdict: 'request_changes', findings: [{ severity: 'major', file: 'src/a.ts', line: 3, message: 'off by one' }], summary: 'One bug.' };
const clean = { exitCode: 0, signal: null };
const succeeded = (output: unknown, summary = ''): ReviewerRun => ({
  result: { type: 'agent.result', success: true, summary, ...(output === undefined ? {} : { output }) },
  exit: clean,
});

describe('readReviewerResult', () => {
  it('takes a structured answer', () => {
    expect(readReviewerResult('codex', succeeded(ANSWER))).toEqual({ status: 'answered', agent: 'codex', answer: ANSWER });
  });

  it('takes an answer given as JSON text, and reads the summary when the run carried no output', () => {
    expect(readReviewerResult('gemini', succeeded(JSON.stringify(ANSWER))).status).toBe('answered');
    expect(readReviewerResult('gemini', succeeded(undefined, JSON.stringify(ANSWER))).status).toBe('answered');
  });

  it.each([
    ['not_json', 'I looked at it and it is fine.'],
    ['wrong_shape', { verdict: 'maybe', findings: [], summary: 'Hmm.' }],
    ['too_long', { ...ANSWER, summary: 'word '.repeat(400) }],
    ['empty', '   '],
  ])('records an answer it cannot take as invalid (%s), with what was said', (reason, output) => {
    const result = readReviewerResult('claude', succeeded(output));
    expect(result).toMatchObject({ status: 'invalid', agent: 'claude', reason });
    if (result.status !== 'invalid') return;
    expect(result.detail).not.toBe('');
    const said = typeof output === 'string' ? output : JSON.stringify(output);
    expect(said.startsWith(result.preview.replace(/…$/, ''))).toBe(true);
    expect(result.preview.length).toBeLessThanOrEqual(ANSWER_PREVIEW_CHARS);
  });

  it('fails a run that reported failure, with its last error', () => {
    const run: ReviewerRun = {
      result: { type: 'agent.result', success: false, summary: 'Invalid API key' },
      lastError: { type: 'agent.error', code: 'AGENT_NOT_AUTHENTICATED', message: 'Invalid API key · Fix external API key' },
      exit: { exitCode: 1, signal: null },
    };
    expect(readReviewerResult('claude', run)).toEqual({
      status: 'failed',
      agent: 'claude',
      code: 'AGENT_NOT_AUTHENTICATED',
      message: 'Invalid API key · Fix external API key',
    });
  });

  it('fails a run that claimed success but did not exit cleanly, even with a valid answer', () => {
    const run: ReviewerRun = { ...succeeded(ANSWER), exit: { exitCode: 1, signal: null } };
    expect(readReviewerResult('codex', run)).toMatchObject({ status: 'failed', code: 'AGENT_CRASHED' });
  });

  it('fails a run that ended with no result and no error, saying how it ended', () => {
    expect(readReviewerResult('gemini', { exit: { exitCode: null, signal: 'SIGSEGV' } })).toEqual({
      status: 'failed',
      agent: 'gemini',
      code: 'AGENT_CRASHED',
      message: 'the reviewer was killed by SIGSEGV without an answer',
    });
  });
});
