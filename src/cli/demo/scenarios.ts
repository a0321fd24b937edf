import type { AgentName } from '../../domain/index.js';

/*
 * What each simulated agent does in the demo. Gemini fails to authenticate, exactly as the real
 * CLI does without credentials, so the session drops a tier and its architect role moves to Claude.
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

// The scenario file content for each simulated agent of the demo.
export function createDemoScenarios(): Record<AgentName, object> {
  const roles = { architect, implementer, reviewer };
  return {
    gemini: { description: 'Gemini without credentials', steps: [{ fail: { kind: 'auth' } }] },
    claude: { description: 'Claude designs (after the fallback) and implements', steps: implementer, roles },
    codex: { description: 'Codex validates', steps: reviewer, roles },
  };
}
