import { describe, expect, it } from 'vitest';
import { createPlainReporter, createTtyReporter } from '../../src/cli/reporters.js';
import type { LogBody } from '../../src/domain/index.js';
import { createEventLog } from '../../src/store/event-log.js';

function captureStream() {
  let text = '';
  return { out: { write: (chunk: string) => ((text += chunk), true), columns: 120 }, text: () => text };
}

const ROOT = '/repo/.orchestrate/worktrees/s1';

function feed(entries: [string, LogBody][]) {
  const log = createEventLog('s1', { clock: () => Date.UTC(2026, 10, 25, 12, 0, 0) });
  return { log, play: () => entries.forEach(([workerId, body]) => log.append(workerId, body)) };
}

const session: [string, LogBody][] = [
  ['worker:design', { type: 'phase.started', phaseId: 'design', agent: 'gemini' }],
  ['worker:design', { type: 'agent.started', vendorSessionId: 'g1' }],
  ['worker:design', { type: 'agent.toolCall', tool: 'write_file', kind: 'write', path: `${ROOT}/DESIGN.md` }],
  ['worker:design', { type: 'agent.usage', inputTokens: 100, outputTokens: 20, costUsd: 0.5, total: true }],
  ['worker:implement', { type: 'phase.started', phaseId: 'implement', agent: 'claude' }],
  ['worker:implement', { type: 'agent.started' }],
  ['worker:implement', { type: 'agent.toolCall', tool: 'Bash', kind: 'shell', command: 'npm test' }],
];

describe('createTtyReporter', () => {
  it('keeps one live row per worker with its state, tokens, cost and relative paths', async () => {
    const stream = captureStream();
    const reporter = createTtyReporter(stream.out);
    const { log, play } = feed(session);
    reporter.attach(log, ROOT);
    play();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const screen = stream.text().split('\x1b[0J').at(-1)!;
    const rows = screen.trim().split('\n').slice(-2);
    expect(rows[0]).toMatch(/^gemini\s+design\s+running\s+120 tok \$0\.5000\s+write_file DESIGN\.md$/);
    expect(rows[1]).toMatch(/^claude\s+implement\s+running\s+0 tok\s+\$ npm test$/);
  });
});

describe('createPlainReporter', () => {
  it('prints session events and decisive agent events, and prefixes agent lines with the worker', () => {
    const stream = captureStream();
    const reporter = createPlainReporter(stream.out, false);
    const { log, play } = feed(session);
    reporter.attach(log, ROOT);
    play();
    expect(stream.text().split('\n').filter(Boolean)).toEqual([
      '[12:00:00] design: Gemini CLI starts',
      '[12:00:00] worker:design started',
      '[12:00:00] worker:design write_file DESIGN.md',
      '[12:00:00] implement: Claude Code starts',
      '[12:00:00] worker:implement started',
      '[12:00:00] worker:implement $ npm test',
    ]);
  });
});
