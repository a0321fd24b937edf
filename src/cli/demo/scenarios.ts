import type { AgentName } from '../../domain/index.js';

/*
 * What each simulated agent does in the demo. Gemini fails to authenticate, exactly as the real
 * CLI does without credentials, so the session drops a tier and its architect role moves to Claude.
 * Claude and Codex then review each other: Codex asks for one change to farewell(), Claude revises
 * in its own conversation, and the revision is approved.
 */

const pause = (ms: number) => ({ sleep: ms });

const architect = [
  { say: 'Reading the repository to plan the farewell feature.' },
  pause(400),
  { shell: { command: 'ls -R src test' } },
  { think: 'greet() lives in src/greet.js; farewell() belongs beside it with the same shape.' },
  pause(400),
  {
    write: {
      path: 'DESIGN.md',
      content:
        '# Design: farewell()\n\n- `src/farewell.js` exports `farewell(name)` returning `Goodbye, <name>!`.\n- Same validation as `greet`: a non-empty string, else a TypeError.\n- Tests in `test/farewell.test.js` with `node --test`.\n',
    },
  },
  { marker: { kind: 'milestone', text: 'design written to DESIGN.md' } },
  { usage: { input: 4200, output: 380, costUsd: 0.0183 } },
  { say: 'The design is in DESIGN.md: one module, one function, two tests.' },
];

const implementer = [
  { say: 'Implementing farewell() as DESIGN.md describes.' },
  pause(400),
  {
    write: {
      path: 'src/farewell.js',
      content:
        "export function farewell(name) {\n  if (typeof name !== 'string' || name === '') throw new TypeError('name must be a non-empty string');\n  return `Goodbye, ${name}!`;\n}\n",
    },
  },
  pause(300),
  {
    write: {
      path: 'test/farewell.test.js',
      content:
        "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { farewell } from '../src/farewell.js';\n\ntest('says goodbye', () => assert.equal(farewell('Ada'), 'Goodbye, Ada!'));\ntest('rejects an empty name', () => assert.throws(() => farewell(''), TypeError));\n",
    },
  },
  { shell: { command: 'node --test' } },
  { marker: { kind: 'review', text: 'farewell() and its tests are ready' } },
  { usage: { input: 6100, output: 720, costUsd: 0.0291 } },
  { say: 'Added src/farewell.js and its tests; node --test passes.' },
];

// A revision continues Claude's own conversation; its prompt names no role, so the default steps run.
const revision = [
  { say: 'Adding the test the review asked for.' },
  pause(300),
  {
    write: {
      path: 'test/farewell.test.js',
      content:
        "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { farewell } from '../src/farewell.js';\n\ntest('says goodbye', () => assert.equal(farewell('Ada'), 'Goodbye, Ada!'));\ntest('rejects an empty name', () => assert.throws(() => farewell(''), TypeError));\ntest('rejects a name that is not a string', () => assert.throws(() => farewell(42), TypeError));\n",
    },
  },
  { shell: { command: 'node --test' } },
  { usage: { input: 3400, output: 260, costUsd: 0.0141 } },
  { say: 'Added the missing test; node --test passes.' },
];

const reviewer = [
  { say: 'Running the test suite.' },
  pause(300),
  { shell: { command: 'node --test' } },
  {
    write: {
      path: 'VALIDATION.md',
      content: '# Validation\n\n- `node --test`: all tests pass (greet and farewell).\n- No failures found.\n',
    },
  },
  { usage: { input: 2100, output: 150 } },
  { say: 'All tests pass; the report is in VALIDATION.md.' },
];

const approve = (summary: string) => ({ answer: { verdict: 'approve', findings: [], summary } });

// Codex's answers to the reviews it is asked for, in order (the sim counts its review calls).
const codexReviews = [
  [{ say: 'Reading DESIGN.md.' }, pause(200), approve('The design is small and clear: one module, the same validation as greet().')],
  [{ say: 'Reading the design phase diff.' }, pause(200), approve('DESIGN.md says what to build and how to test it.')],
  [
    { say: 'Reading src/farewell.js and its tests.' },
    pause(300),
    {
      answer: {
        verdict: 'request_changes',
        findings: [{ severity: 'major', file: 'test/farewell.test.js', line: 6, message: 'No test for a name that is not a string, which the TypeError branch handles.' }],
        summary: 'farewell() is right; one branch has no test.',
      },
    },
  ],
  [{ say: 'Reading the revision.' }, pause(200), approve('The missing test is there and node --test passes.')],
];

const claudeReview = [{ say: 'Reading VALIDATION.md.' }, pause(200), approve('The validation ran the whole suite and reports it plainly.')];

// The scenario file content for each simulated agent of the demo.
export function createDemoScenarios(): Record<AgentName, object> {
  const roles = { architect, implementer, reviewer };
  return {
    gemini: { description: 'Gemini without credentials', steps: [{ fail: { kind: 'auth' } }] },
    claude: { description: 'Claude designs (after the fallback) and implements, and reviews the validation', steps: revision, roles, review: claudeReview },
    codex: { description: 'Codex validates, and reviews the design and the implementation', steps: reviewer, roles, reviews: codexReviews },
  };
}
