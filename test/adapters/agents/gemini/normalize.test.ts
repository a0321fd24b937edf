import { describe, expect, it } from 'vitest';
import { classifyGeminiFailure } from '../../../../src/adapters/agents/gemini/classify.js';
import { AgentEventBodySchema } from '../../../../src/domain/index.js';
import { errorCodes, eventsOf, exited, listFixtures, normalizeFixture, normalizeLines, readFixture } from '../fixtures.js';

// Exit statuses from the research runs (runs/<name>.rc); 145 is HTTP 401 & 0xFF, 53 the turn limit.
const RUN_EXIT: Record<string, number> = {
  'gemini-stream.jsonl': 0,
  'gemini-failing-command.jsonl': 0,
  'gemini-path-outside-workspace.jsonl': 0,
  'gemini-tools-not-registered-default-approval.jsonl': 0,
  'gemini-resume.jsonl': 0,
  'gemini-error.jsonl': 145,
  'gemini-error-max-turns.jsonl': 53,
  'gemini-error-nonetwork-retries-exhausted.jsonl': 1,
  'gemini-error-nonetwork-killed.jsonl': 124,
  'gemini-acp.stdout.jsonl': 0,
  // Read-only review runs (review-command.ts) against the loopback fake provider.
  'gemini-review-plan.jsonl': 0,
  'gemini-review-plan-escape.jsonl': 0,
  'gemini-review-policy.jsonl': 0,
};
/** Not stream-json: these feed classifyGeminiFailure and finish() as a stderr tail or a stdout document. */
const DOCUMENT_FIXTURES: Record<string, number> = {
  'gemini-error-auth-output-json.stderr.json': 41,
  'gemini-error-http401-output-json.stderr.txt': 145,
  'gemini-output-json-success.json': 0,
  // --sandbox without docker or podman, and with a docker whose daemon does not answer.
  'gemini-sandbox-no-runtime.stderr.txt': 44,
  'gemini-sandbox-docker-no-daemon.stderr.txt': 1,
};
const STDIN_FIXTURES = ['gemini-acp.stdin.jsonl'];

const run = (name: string, stderr = '') => normalizeFixture('gemini', name, exited(RUN_EXIT[name] ?? 0), stderr);
const endsWith = (suffix: string) => expect.stringMatching(new RegExp(`${suffix.replace(/\./g, '\\.')}$`));

describe('createGeminiNormalizer', () => {
  it('has a case for every gemini fixture file', () => {
    const cases = [...Object.keys(RUN_EXIT), ...Object.keys(DOCUMENT_FIXTURES), ...STDIN_FIXTURES];
    expect(listFixtures('gemini')).toEqual(cases.sort());
  });

  it.each(Object.keys(RUN_EXIT))('emits only valid event bodies for %s', (name) => {
    for (const event of run(name)) expect(AgentEventBodySchema.safeParse(event).success).toBe(true);
  });

  it('normalizes a full successful run (gemini-stream.jsonl)', () => {
    const events = run('gemini-stream.jsonl');
    expect(eventsOf(events, 'agent.started')).toEqual([
      { type: 'agent.started', vendorSessionId: '2168bf5a-62e0-4a25-9455-9c9ea2e22fd3', model: 'gemini-2.5-flash' },
    ]);
    expect(eventsOf(events, 'agent.message')).toEqual([
      { type: 'agent.message', text: "I'll run a shell command first.", delta: true },
      { type: 'agent.message', text: 'Done: ran the command ', delta: true },
      { type: 'agent.message', text: 'and created hello.txt.', delta: true },
    ]);
    const calls = eventsOf(events, 'agent.toolCall');
    expect(calls.map((c) => [c.tool, c.kind])).toEqual([
      ['run_shell_command', 'shell'],
      ['write_file', 'write'],
      ['replace', 'edit'],
    ]);
    expect(calls[0]).toMatchObject({ callId: 'run_shell_command__run_shell_command_1795481202144_0', command: 'echo hello from tool' });
    expect(calls[1]?.path).toEqual(endsWith('/mock-gemini/hello.txt'));
    expect(eventsOf(events, 'agent.toolResult').map((r) => r.ok)).toEqual([true, true, true]);
    expect(eventsOf(events, 'agent.fileChange')).toEqual([
      { type: 'agent.fileChange', path: endsWith('/mock-gemini/hello.txt'), kind: 'unknown' },
      { type: 'agent.fileChange', path: endsWith('/mock-gemini/hello.txt'), kind: 'update' },
    ]);
    expect(eventsOf(events, 'agent.usage')).toEqual([
      { type: 'agent.usage', inputTokens: 12000, outputTokens: 82, cachedTokens: 0, total: true },
    ]);
    // The summary is the final answer: the deltas after the last tool call, concatenated.
    expect(eventsOf(events, 'agent.result')).toEqual([
      {
        type: 'agent.result',
        success: true,
        summary: 'Done: ran the command and created hello.txt.',
        output: 'Done: ran the command and created hello.txt.',
      },
    ]);
    expect(errorCodes(events)).toEqual([]);
  });

  it('keeps a non-zero shell exit as the successful tool result Gemini reports (gemini-failing-command.jsonl)', () => {
    const events = run('gemini-failing-command.jsonl');
    expect(eventsOf(events, 'agent.toolCall')[0]?.command).toBe('ls /nonexistent-dir; exit 3');
    expect(eventsOf(events, 'agent.toolResult')[0]).toMatchObject({
      ok: true,
      output: "ls: cannot access '/nonexistent-dir': No such file or directory",
    });
    expect(errorCodes(events)).toEqual([]);
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([true]);
  });

  it('reports writes outside the workspace as AGENT_PERMISSION_DENIED (gemini-path-outside-workspace.jsonl)', () => {
    const events = run('gemini-path-outside-workspace.jsonl');
    expect(eventsOf(events, 'agent.toolResult').map((r) => r.ok)).toEqual([true, false, false]);
    expect(eventsOf(events, 'agent.fileChange')).toEqual([]);
    const errors = eventsOf(events, 'agent.error');
    expect(errors.map((e) => e.code)).toEqual(['AGENT_PERMISSION_DENIED']);
    expect(errors[0]?.message).toMatch(/^Path not in workspace: /);
    // Exit 0 and status success: the machine decides on the error.
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([true]);
  });

  it('reports unregistered tools as AGENT_TOOL_UNAVAILABLE (gemini-tools-not-registered-default-approval.jsonl)', () => {
    const events = run('gemini-tools-not-registered-default-approval.jsonl');
    expect(eventsOf(events, 'agent.toolResult').map((r) => r.ok)).toEqual([false, false, false]);
    expect(errorCodes(events)).toEqual(['AGENT_TOOL_UNAVAILABLE', 'AGENT_TOOL_UNAVAILABLE', 'AGENT_TOOL_UNAVAILABLE']);
    expect(eventsOf(events, 'agent.error')[0]?.message).toMatch(/^Tool "run_shell_command" not found/);
    expect(eventsOf(events, 'agent.fileChange')).toEqual([]);
  });

  it('keeps the resumed session id (gemini-resume.jsonl)', () => {
    const events = run('gemini-resume.jsonl');
    expect(eventsOf(events, 'agent.started').map((s) => s.vendorSessionId)).toEqual(['2168bf5a-62e0-4a25-9455-9c9ea2e22fd3']);
    expect(eventsOf(events, 'agent.usage')[0]).toMatchObject({ inputTokens: 3000, outputTokens: 12 });
    expect(eventsOf(events, 'agent.result')[0]).toMatchObject({ success: true, summary: 'Done: ran the command and created hello.txt.' });
  });

  it.each([
    ['gemini-error.jsonl', 'AGENT_NOT_AUTHENTICATED', /API key not valid/],
    ['gemini-error-max-turns.jsonl', 'AGENT_TURN_LIMIT', /^Reached max session turns/],
    ['gemini-error-nonetwork-retries-exhausted.jsonl', 'AGENT_NETWORK', /fetch failed/],
  ])('fails %s with %s from its result error', (name, code, message) => {
    const events = run(name);
    expect(eventsOf(events, 'agent.error')).toEqual([{ type: 'agent.error', code, message: expect.stringMatching(message) }]);
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([false]);
    expect(events.findIndex((e) => e.type === 'agent.error')).toBeLessThan(events.findIndex((e) => e.type === 'agent.result'));
  });

  it('classifies a run killed while retrying from its stderr (gemini-error-nonetwork-killed.jsonl)', () => {
    const stderr = 'Attempt 1 failed. Retrying with backoff... Error: exception TypeError: fetch failed sending request\n';
    const events = run('gemini-error-nonetwork-killed.jsonl', stderr);
    expect(eventsOf(events, 'agent.started')[0]).toMatchObject({ vendorSessionId: '8a2426f3-332e-4bc2-8b4e-03546c3e27a8', model: 'auto' });
    expect(errorCodes(events)).toEqual(['AGENT_NETWORK']);
    expect(eventsOf(events, 'agent.result')).toEqual([
      { type: 'agent.result', success: false, summary: 'gemini exited with code 124 without its final result event' },
    ]);
  });

  it('treats an exit 0 without a result line as incomplete (the process group was signalled)', () => {
    const events = normalizeFixture('gemini', 'gemini-error-nonetwork-killed.jsonl', exited(0));
    expect(errorCodes(events)).toEqual(['AGENT_CRASHED']);
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([false]);
  });

  it('does not speak ACP: each JSON-RPC line is kept as agent.unparsed (gemini-acp.stdout.jsonl)', () => {
    const events = run('gemini-acp.stdout.jsonl').slice(0, -2);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.type === 'agent.unparsed' && e.reason === 'schema')).toBe(true);
  });

  it.each(STDIN_FIXTURES)('never throws on the host side of ACP (%s)', (name) => {
    expect(() => normalizeFixture('gemini', name, exited(0))).not.toThrow();
  });

  it.each([
    ['gemini-error-auth-output-json.stderr.json', 'AGENT_NOT_AUTHENTICATED'],
    ['gemini-error-http401-output-json.stderr.txt', 'AGENT_NOT_AUTHENTICATED'],
    ['gemini-sandbox-no-runtime.stderr.txt', 'AGENT_SANDBOX_UNAVAILABLE'],
    ['gemini-sandbox-docker-no-daemon.stderr.txt', 'AGENT_SANDBOX_UNAVAILABLE'],
  ])('fails a run with no stdout from its stderr %s', (name, code) => {
    const stderr = readFixture('gemini', name);
    expect(classifyGeminiFailure(stderr, DOCUMENT_FIXTURES[name] ?? null)).toBe(code);
    const events = normalizeLines('gemini', [], exited(DOCUMENT_FIXTURES[name] ?? null), stderr);
    expect(errorCodes(events)).toEqual([code]);
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([false]);
  });

  it('finds no failure in the --output-format json success document', () => {
    expect(classifyGeminiFailure(readFixture('gemini', 'gemini-output-json-success.json'), 0)).toBeUndefined();
  });

  it('fails a status-success result when the process exits non-zero', () => {
    const events = normalizeFixture('gemini', 'gemini-stream.jsonl', exited(54));
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([true]);
    expect(errorCodes(events)).toEqual(['AGENT_CRASHED']);
  });

  it('classifies a stream error event of severity error and ignores unrecognised warnings', () => {
    const events = normalizeLines(
      'gemini',
      [
        '{"type":"error","timestamp":"t","severity":"warning","message":"Loop detected, stopping execution"}',
        '{"type":"error","timestamp":"t","severity":"error","message":"Reached max session turns for this session."}',
      ],
      exited(53),
    );
    expect(errorCodes(events)).toEqual(['AGENT_TURN_LIMIT', 'AGENT_TURN_LIMIT']);
  });

  it('finds a marker split across assistant deltas, at the latest when a tool call ends the message', () => {
    const delta = (content: string) => JSON.stringify({ type: 'message', role: 'assistant', content, delta: true });
    const lines = [
      delta('Done.\n[[orchestrate:mile'),
      delta('stone]] schema migrated'),
      JSON.stringify({ type: 'tool_use', tool_name: 'read_file', tool_id: 't1', parameters: { file_path: 'a.ts' } }),
    ];
    const events = normalizeLines('gemini', lines, exited(0));
    expect(eventsOf(events, 'agent.milestone')).toEqual([{ type: 'agent.milestone', text: 'schema migrated', via: 'marker' }]);
    expect(events.findIndex((e) => e.type === 'agent.milestone')).toBeLessThan(events.findIndex((e) => e.type === 'agent.toolCall'));
    expect(eventsOf(events, 'agent.toolCall')).toEqual([
      { type: 'agent.toolCall', callId: 't1', tool: 'read_file', kind: 'read', path: 'a.ts' },
    ]);
  });
});
