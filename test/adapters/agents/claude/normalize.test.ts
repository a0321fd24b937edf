import { describe, expect, it } from 'vitest';
import { AgentEventBodySchema } from '../../../../src/domain/index.js';
import { errorCodes, eventsOf, exited, listFixtures, normalizeFixture, normalizeLines, readFixture } from '../fixtures.js';

// Exit statuses from the research runs (runs/<name>.rc) that produced each fixture.
const RUN_EXIT: Record<string, number> = {
  'claude-stream.jsonl': 0,
  'claude-stream-partial-messages.jsonl': 0,
  'claude-failing-command.jsonl': 0,
  'claude-permission-denied.jsonl': 0,
  'claude-resume.jsonl': 0,
  'claude-control-protocol.stdout.jsonl': 0,
  'claude-input-stream-json-two-turns.stdout.jsonl': 0,
  'claude-output-json-success.json': 0,
  'claude-output-json-error.json': 1,
  'claude-error.jsonl': 1,
  'claude-error-http401.jsonl': 1,
  'claude-error-network.jsonl': 1,
  'claude-error-max-turns.jsonl': 1,
  'claude-error-max-budget.jsonl': 1,
  'claude-error-resume-unknown.jsonl': 1,
  'claude-error-network-retrying-killed.jsonl': 124,
  // Read-only review runs (review-command.ts) against the loopback fake provider.
  'claude-review-structured-output.jsonl': 0,
  'claude-review-text-answer.jsonl': 0,
  'claude-review-write-attempts.jsonl': 0,
  // sandbox.failIfUnavailable without bubblewrap and socat: the only stdout line is the result.
  'claude-sandbox-unavailable.jsonl': 1,
};
/** The host's side of the stdin protocols: not CLI output, but they must not trip the normalizer either. */
const STDIN_FIXTURES = ['claude-control-protocol.stdin.jsonl', 'claude-input-stream-json-two-turns.stdin.jsonl'];

const run = (name: string, stderr = '') => normalizeFixture('claude', name, exited(RUN_EXIT[name] ?? 0), stderr);
const endsWith = (suffix: string) => expect.stringMatching(new RegExp(`${suffix.replace(/\./g, '\\.')}$`));

describe('createClaudeNormalizer', () => {
  it('has a case for every claude fixture file', () => {
    expect(listFixtures('claude')).toEqual([...Object.keys(RUN_EXIT), ...STDIN_FIXTURES].sort());
  });

  it.each(Object.keys(RUN_EXIT))('emits only valid event bodies for %s', (name) => {
    for (const event of run(name)) expect(AgentEventBodySchema.safeParse(event).success).toBe(true);
  });

  it('normalizes a full successful run (claude-stream.jsonl)', () => {
    const events = run('claude-stream.jsonl');
    expect(eventsOf(events, 'agent.started')).toEqual([
      {
        type: 'agent.started',
        vendorSessionId: '93480705-0b55-407c-a189-0ecaabffe206',
        model: 'claude-sonnet-4-5',
        cwd: endsWith('/w/mock-claude'),
      },
    ]);
    const calls = eventsOf(events, 'agent.toolCall');
    expect(calls.map((c) => [c.callId, c.tool, c.kind])).toEqual([
      ['toolu_01A1', 'Bash', 'shell'],
      ['toolu_01B2', 'Write', 'write'],
      ['toolu_01C3', 'Edit', 'edit'],
    ]);
    expect(calls[0]?.command).toBe('echo hello from tool');
    expect(calls[1]?.path).toEqual(endsWith('/mock-claude/hello.txt'));
    expect(eventsOf(events, 'agent.toolResult').map((r) => r.ok)).toEqual([true, true, true]);
    expect(eventsOf(events, 'agent.toolResult')[0]?.output).toBe('hello from tool');
    expect(eventsOf(events, 'agent.fileChange')).toEqual([
      { type: 'agent.fileChange', path: endsWith('/mock-claude/hello.txt'), kind: 'add' },
      { type: 'agent.fileChange', path: endsWith('/mock-claude/hello.txt'), kind: 'update' },
    ]);
    expect(eventsOf(events, 'agent.message').map((m) => m.text)).toEqual([
      "I'll run a shell command first.",
      'Done: ran the command and created hello.txt.',
    ]);
    expect(eventsOf(events, 'agent.usage')).toEqual([
      { type: 'agent.usage', inputTokens: 4800, outputTokens: 100, cachedTokens: 0, costUsd: 0.019875, total: true },
    ]);
    expect(eventsOf(events, 'agent.result')).toEqual([
      {
        type: 'agent.result',
        success: true,
        summary: 'Done: ran the command and created hello.txt.',
        output: 'Done: ran the command and created hello.txt.',
      },
    ]);
    expect(errorCodes(events)).toEqual([]);
    expect(events.at(-1)?.type).toBe('agent.result');
  });

  it('ignores the partial-message stream events and yields the same run (claude-stream-partial-messages.jsonl)', () => {
    const events = run('claude-stream-partial-messages.jsonl');
    expect(eventsOf(events, 'agent.unparsed')).toEqual([]);
    expect(eventsOf(events, 'agent.started')[0]?.vendorSessionId).toBe('be8db563-3361-4ecc-800a-a4ae87bcaf42');
    expect(eventsOf(events, 'agent.toolCall').map((c) => c.tool)).toEqual(['Bash', 'Write', 'Edit']);
    expect(eventsOf(events, 'agent.fileChange').map((c) => c.kind)).toEqual(['add', 'update']);
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([true]);
  });

  it('reports a failing Bash command as a failed tool result, not as a run error (claude-failing-command.jsonl)', () => {
    const events = run('claude-failing-command.jsonl');
    const calls = eventsOf(events, 'agent.toolCall');
    expect(calls[0]?.command).toBe('ls /nonexistent-dir; exit 3');
    const first = eventsOf(events, 'agent.toolResult')[0];
    expect(first).toMatchObject({ callId: 'toolu_01A1', ok: false, output: expect.stringContaining('Exit code 3') });
    expect(errorCodes(events)).toEqual([]);
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([true]);
  });

  it('reports a refused Write once, as AGENT_PERMISSION_DENIED, without a file change (claude-permission-denied.jsonl)', () => {
    const events = run('claude-permission-denied.jsonl');
    expect(eventsOf(events, 'agent.toolResult').map((r) => r.ok)).toEqual([true, false, false]);
    const errors = eventsOf(events, 'agent.error');
    expect(errors).toEqual([
      { type: 'agent.error', code: 'AGENT_PERMISSION_DENIED', message: expect.stringContaining('requested permissions to write') },
    ]);
    expect(eventsOf(events, 'agent.fileChange')).toEqual([]);
    // The CLI itself calls this run a success (exit 0); the machine decides on the error.
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([true]);
  });

  it('keeps the resumed session id (claude-resume.jsonl)', () => {
    const events = run('claude-resume.jsonl');
    expect(eventsOf(events, 'agent.started').map((s) => s.vendorSessionId)).toEqual(['0f0e0d0c-0b0a-4908-8706-050403020100']);
    expect(eventsOf(events, 'agent.usage')[0]).toMatchObject({ inputTokens: 1200, outputTokens: 25, costUsd: 0.003975 });
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([true]);
  });

  it('emits agent.started once and a result per turn for a two-turn stdin session', () => {
    const events = run('claude-input-stream-json-two-turns.stdout.jsonl');
    expect(eventsOf(events, 'agent.started')).toHaveLength(1);
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([true, true]);
    expect(eventsOf(events, 'agent.unparsed')).toEqual([]);
  });

  it('turns can_use_tool into agent.approvalRequest and leaves the host-denied Write unreported (control protocol)', () => {
    const events = run('claude-control-protocol.stdout.jsonl');
    expect(eventsOf(events, 'agent.approvalRequest')).toEqual([
      { type: 'agent.approvalRequest', callId: 'toolu_01B2', tool: 'Write', path: endsWith('/mock-gemini/hello.txt') },
    ]);
    expect(errorCodes(events)).toEqual([]);
    expect(eventsOf(events, 'agent.started')).toHaveLength(1);
    expect(eventsOf(events, 'agent.unparsed')).toEqual([]);
  });

  it.each(STDIN_FIXTURES)('emits nothing for the host-side lines of %s until finish', (name) => {
    const events = normalizeFixture('claude', name, exited(0)).slice(0, -2);
    expect(events).toEqual([]);
  });

  it.each([
    ['claude-error.jsonl', 'AGENT_NOT_AUTHENTICATED', 'Not logged in · Please run /login'],
    ['claude-error-http401.jsonl', 'AGENT_NOT_AUTHENTICATED', 'Invalid API key · Fix external API key'],
    ['claude-error-network.jsonl', 'AGENT_NETWORK', 'API Error: Unable to connect to API (ConnectionRefused)'],
    ['claude-error-max-turns.jsonl', 'AGENT_TURN_LIMIT', 'Reached maximum number of turns (1)'],
    ['claude-error-max-budget.jsonl', 'AGENT_BUDGET', 'Reached maximum budget ($0.001)'],
    ['claude-output-json-error.json', 'AGENT_NOT_AUTHENTICATED', 'Not logged in · Please run /login'],
  ])('fails %s with %s even when the subtype says success', (name, code, message) => {
    const events = run(name);
    expect(eventsOf(events, 'agent.error')).toEqual([{ type: 'agent.error', code, message }]);
    expect(eventsOf(events, 'agent.result')).toEqual([{ type: 'agent.result', success: false, summary: message }]);
    // The error comes before the result, so the machine has the cause when the run ends.
    expect(events.findIndex((e) => e.type === 'agent.error')).toBeLessThan(events.findIndex((e) => e.type === 'agent.result'));
  });

  it('classifies an unknown --resume id as AGENT_INVALID_INVOCATION (claude-error-resume-unknown.jsonl)', () => {
    const stderr = 'No conversation found with session ID: 11111111-2222-3333-4444-555555555555\n';
    const events = run('claude-error-resume-unknown.jsonl', stderr);
    expect(eventsOf(events, 'agent.started')).toEqual([]);
    expect(errorCodes(events)).toEqual(['AGENT_INVALID_INVOCATION']);
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([false]);
  });

  it('classifies a refusal to start without the required sandbox as AGENT_SANDBOX_UNAVAILABLE (claude-sandbox-unavailable.jsonl)', () => {
    const events = run('claude-sandbox-unavailable.jsonl');
    expect(eventsOf(events, 'agent.started')).toEqual([]);
    expect(errorCodes(events)).toEqual(['AGENT_SANDBOX_UNAVAILABLE']);
    expect(eventsOf(events, 'agent.error')[0]?.message).toMatch(/^Sandbox required but unavailable: .*bubblewrap \(bwrap\) not installed/);
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([false]);
  });

  it('reports retries once and ends an interrupted retry loop as AGENT_NETWORK (claude-error-network-retrying-killed.jsonl)', () => {
    const events = run('claude-error-network-retrying-killed.jsonl');
    expect(errorCodes(events)).toEqual(['AGENT_NETWORK', 'AGENT_NETWORK']);
    expect(eventsOf(events, 'agent.error')[1]?.message).toBe('claude exited with code 124 without its final result event');
    expect(eventsOf(events, 'agent.result')).toEqual([
      { type: 'agent.result', success: false, summary: 'claude exited with code 124 without its final result event' },
    ]);
  });

  it('takes the result of the --output-format json document as the end marker (claude-output-json-success.json)', () => {
    const events = run('claude-output-json-success.json');
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([true]);
    expect(eventsOf(events, 'agent.usage')[0]?.costUsd).toBe(0.019875);
  });

  it('fails a successful result when the process then exits non-zero', () => {
    const events = normalizeFixture('claude', 'claude-stream.jsonl', exited(1));
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([true]);
    expect(errorCodes(events)).toEqual(['AGENT_CRASHED']);
  });

  it('fails a run killed before its result with AGENT_CRASHED', () => {
    const lines = readFixture('claude', 'claude-stream.jsonl').split('\n').slice(0, 4);
    const events = normalizeLines('claude', lines, exited(null, 'SIGTERM'));
    expect(eventsOf(events, 'agent.error')).toEqual([
      { type: 'agent.error', code: 'AGENT_CRASHED', message: 'claude was killed by SIGTERM without its final result event' },
    ]);
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([false]);
  });

  it('fails a startup error with the code its stderr classifies (no stdout at all)', () => {
    const stderr = '--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons\n';
    const events = normalizeLines('claude', [], exited(1), stderr);
    expect(eventsOf(events, 'agent.error')).toEqual([
      { type: 'agent.error', code: 'AGENT_INVALID_INVOCATION', message: stderr.trim() },
    ]);
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([false]);
  });

  it('emits marker events next to the assistant message, and thinking as reasoning', () => {
    const text = 'Tests pass.\n[[orchestrate:milestone]] tests green\n[[orchestrate:review]] check auth.ts';
    const lines = [
      JSON.stringify({ type: 'assistant', message: { content: [{ type: 'thinking', thinking: 'plan first' }] } }),
      JSON.stringify({ type: 'assistant', message: { content: [{ type: 'text', text }] } }),
    ];
    const events = normalizeLines('claude', lines, exited(0)).slice(0, -2);
    expect(events).toEqual([
      { type: 'agent.reasoning', text: 'plan first' },
      { type: 'agent.message', text },
      { type: 'agent.milestone', text: 'tests green', via: 'marker' },
      { type: 'agent.reviewRequest', text: 'check auth.ts', via: 'marker' },
    ]);
  });

  it('reports rate-limit retries once as AGENT_RATE_LIMITED', () => {
    const retry = (attempt: number) =>
      JSON.stringify({ type: 'system', subtype: 'api_retry', attempt, max_retries: 10, retry_delay_ms: 500, error_status: 429, error: 'rate_limit' });
    const events = normalizeLines('claude', [retry(1), retry(2), retry(3)], exited(null, 'SIGTERM'));
    expect(errorCodes(events)).toEqual(['AGENT_RATE_LIMITED', 'AGENT_RATE_LIMITED']);
  });
});
