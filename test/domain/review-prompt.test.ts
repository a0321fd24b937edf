import { describe, expect, it } from 'vitest';
import { buildReviewPrompt, MAX_SUMMARY_WORDS, type ReviewPromptInputs } from '../../src/domain/index.js';

const DIFF = 'diff --git a/src/greet.js b/src/greet.js\n--- a/src/greet.js\n+++ b/src/greet.js\n@@ -1 +1 @@\n-old\n+new';
const inputs: ReviewPromptInputs = {
  task: 'Add a farewell() function.',
  phaseTitle: 'Implement',
  role: 'implementer',
  author: 'claude',
  authorSummary: 'Added src/farewell.js and its tests.',
  trigger: 'phase.finished',
  diff: DIFF,
  diffTruncated: false,
  files: ['src/greet.js'],
};

describe('buildReviewPrompt', () => {
  it('gives the assignment, the author and its summary, and the exact diff', () => {
    const prompt = buildReviewPrompt(inputs);
    for (const part of [inputs.task, 'Implement', 'implementer', 'claude', inputs.authorSummary, 'src/greet.js', DIFF]) {
      expect(prompt).toContain(part);
    }
  });

  it('forbids any change and asks for the answer as JSON only, with every verdict, severity and the word limit', () => {
    const prompt = buildReviewPrompt(inputs);
    expect(prompt).toMatch(/must not modify any file/);
    expect(prompt).toMatch(/one JSON object and nothing else/);
    for (const word of ['approve', 'request_changes', 'block', 'critical', 'major', 'minor', 'info', '"file"', '"line"', '"message"', '"summary"']) {
      expect(prompt).toContain(word);
    }
    expect(prompt).toContain(`at most ${MAX_SUMMARY_WORDS} words`);
  });

  it('says when the diff was cut, and why the review runs now, with the note', () => {
    const prompt = buildReviewPrompt({ ...inputs, diffTruncated: true, trigger: 'person', note: 'check the error handling' });
    expect(prompt).toMatch(/cut short/);
    expect(prompt).toContain('a person asked for a review: check the error handling');
  });

  it('fences the diff so that backticks inside it cannot end the block', () => {
    const diff = '+```js\n+code\n+```\n+````';
    const prompt = buildReviewPrompt({ ...inputs, diff });
    expect(prompt).toContain(`\`\`\`\`\`diff\n${diff}\n\`\`\`\`\`\n`);
  });

  it('does not name a role of its own, so a simulated agent does not take it for a worker', () => {
    expect(buildReviewPrompt(inputs)).not.toMatch(/^\s*Your role: /m);
  });
});
