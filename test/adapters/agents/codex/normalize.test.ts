import { describe, expect, it } from 'vitest';
import { AgentEventBodySchema } from '../../../../src/domain/index.js';
import { errorCodes, eventsOf, exited, listFixtures, normalizeFixture, normalizeLines } from '../fixtures.js';

// Exit statuses from the research runs (runs/<name>.rc); 124 is `timeout` killing a run that never ends.
const RUN_EXIT: Record<string, number> = {
  'codex-stream.jsonl': 0,
  'codex-stream-builtin-provider-ws-fallback.jsonl': 0,
  'codex-failing-command.jsonl': 0,
  'codex-readonly-sandbox-patch-rejected.jsonl': 0,
  'codex-resume.jsonl': 0,
  'codex-error-http401-turn-failed.jsonl': 1,
  'codex-error.jsonl': 124,
  'codex-error-connrefused-killed.jsonl': 124,
  // Read-only review runs (review-command.ts) against the loopback fake provider.
  'codex-review-output-schema.jsonl': 0,
  'codex-review-write-attempts.jsonl': 0,
};

/** stderr lines of the same runs (runs/codex-*.stderr), timestamps and paths left out. */
const READ_ONLY_STDERR =
  'Reading additional input from stdin...\nERROR codex_core::tools::router: error=patch rejected: writing is blocked by read-only sandbox; rejected by user approval settings\n';
const OFFLINE_STDERR =
  'Reading additional input from stdin...\nERROR codex_api::endpoint::responses_websocket: failed to connect to Responses WebSocket stage=Unknown\n';

const run = (name: string, stderr = '') => normalizeFixture('codex', name, exited(RUN_EXIT[name] ?? 0), stderr);
const endsWith = (suffix: string) => expect.stringMatching(new RegExp(`${suffix.replace(/\./g, '\\.')}$`));

describe('createCodexNormalizer', () => {
  it('has a case for every codex fixture file', () => {
    expect(listFixtures('codex')).toEqual(Object.keys(RUN_EXIT).sort());
  });

  it.each(Object.keys(RUN_EXIT))('emits only valid event bodies for %s', (name) => {
    for (const event of run(name)) expect(AgentEventBodySchema.safeParse(event).success).toBe(true);
  });

  it('normalizes a full successful run (codex-stream.jsonl)', () => {
    const events = run('codex-stream.jsonl');
    expect(eventsOf(events, 'agent.started')).toEqual([
      { type: 'agent.started', vendorSessionId: '01a20b02-812a-7523-bc8a-aadd6c03ffd3' },
    ]);
    expect(eventsOf(events, 'agent.reasoning').map((r) => r.text)).toEqual(['**Planning a greeting**\n\nI will run a shell command.']);
    expect(eventsOf(events, 'agent.toolCall')).toEqual([
      { type: 'agent.toolCall', callId: 'item_2', tool: 'command_execution', kind: 'shell', command: "/bin/bash -lc 'echo hello from tool'" },
      { type: 'agent.toolCall', callId: 'item_3', tool: 'file_change', kind: 'write', path: endsWith('/mock-codex/hello.txt') },
    ]);
    expect(eventsOf(events, 'agent.toolResult')).toEqual([
      { type: 'agent.toolResult', callId: 'item_2', ok: true, output: 'hello from tool\n' },
      { type: 'agent.toolResult', callId: 'item_3', ok: true },
    ]);
    expect(eventsOf(events, 'agent.fileChange')).toEqual([
      { type: 'agent.fileChange', path: endsWith('/mock-codex/hello.txt'), kind: 'add' },
    ]);
    expect(eventsOf(events, 'agent.usage')).toEqual([
      { type: 'agent.usage', inputTokens: 6300, outputTokens: 120, cachedTokens: 3072, total: true },
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
  });

  it('reports a command exiting 3 as a failed tool result only (codex-failing-command.jsonl)', () => {
    const events = run('codex-failing-command.jsonl');
    expect(eventsOf(events, 'agent.toolCall')[0]?.command).toBe("/bin/bash -lc 'ls /nonexistent-dir; exit 3'");
    expect(eventsOf(events, 'agent.toolResult')[0]).toMatchObject({ callId: 'item_2', ok: false });
    expect(errorCodes(events)).toEqual([]);
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([true]);
  });

  it('surfaces the sandbox-rejected patch that only stderr shows (codex-readonly-sandbox-patch-rejected.jsonl)', () => {
    const events = run('codex-readonly-sandbox-patch-rejected.jsonl', READ_ONLY_STDERR);
    expect(eventsOf(events, 'agent.fileChange')).toEqual([]);
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([true]);
    expect(eventsOf(events, 'agent.error')).toEqual([
      { type: 'agent.error', code: 'AGENT_PERMISSION_DENIED', message: expect.stringContaining('patch rejected') },
    ]);
  });

  it('keeps the resumed thread id (codex-resume.jsonl)', () => {
    const events = run('codex-resume.jsonl');
    expect(eventsOf(events, 'agent.started').map((s) => s.vendorSessionId)).toEqual(['01a20b02-812a-7523-bc8a-aadd6c03ffd3']);
    expect(eventsOf(events, 'agent.usage')[0]).toMatchObject({ inputTokens: 8400, outputTokens: 160, cachedTokens: 4096 });
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([true]);
  });

  it('reports the WebSocket retries once and still succeeds after the HTTPS fallback (ws-fallback)', () => {
    const events = run('codex-stream-builtin-provider-ws-fallback.jsonl');
    expect(errorCodes(events)).toEqual(['AGENT_NETWORK']);
    expect(eventsOf(events, 'agent.fileChange').map((c) => c.kind)).toEqual(['add']);
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([true]);
  });

  it('fails on turn.failed with AGENT_NOT_AUTHENTICATED (codex-error-http401-turn-failed.jsonl)', () => {
    const events = run('codex-error-http401-turn-failed.jsonl');
    // WebSocket retries (404) are transport trouble; the HTTPS retries name their cause (401), which
    // must be reported as authentication, not network.
    expect(errorCodes(events)).toEqual(['AGENT_NETWORK', 'AGENT_NOT_AUTHENTICATED', 'AGENT_NOT_AUTHENTICATED']);
    expect(eventsOf(events, 'agent.error')[1]?.message).toMatch(/^Reconnecting\.\.\. 1\/5 \(unexpected status 401/);
    expect(eventsOf(events, 'agent.error')[2]?.message).toMatch(/^unexpected status 401 Unauthorized: Incorrect API key/);
    const results = eventsOf(events, 'agent.result');
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ success: false, summary: expect.stringContaining('401 Unauthorized') });
  });

  it.each(['codex-error.jsonl', 'codex-error-connrefused-killed.jsonl'])(
    'reports the endless reconnect loop once and ends the killed run as AGENT_NETWORK (%s)',
    (name) => {
      const events = run(name, OFFLINE_STDERR);
      expect(eventsOf(events, 'agent.started')).toHaveLength(1);
      expect(errorCodes(events)).toEqual(['AGENT_NETWORK', 'AGENT_NETWORK']);
      expect(eventsOf(events, 'agent.error')[0]?.message).toMatch(/^Reconnecting\.\.\./);
      expect(eventsOf(events, 'agent.result')).toEqual([
        { type: 'agent.result', success: false, summary: 'codex exited with code 124 without its final turn.completed/turn.failed event' },
      ]);
    },
  );

  it('ends a run killed by a signal as AGENT_NETWORK when it was stuck reconnecting, even without stderr', () => {
    const lines = [
      '{"type":"thread.started","thread_id":"t1"}',
      '{"type":"error","message":"Reconnecting... waiting for network (Connection failed: error sending request)"}',
    ];
    const events = normalizeLines('codex', lines, exited(null, 'SIGKILL'));
    expect(errorCodes(events)).toEqual(['AGENT_NETWORK', 'AGENT_NETWORK']);
    expect(eventsOf(events, 'agent.result')[0]?.summary).toBe(
      'codex was killed by SIGKILL without its final turn.completed/turn.failed event',
    );
  });

  it('ends a run killed by a signal with nothing to go on as AGENT_CRASHED', () => {
    const events = normalizeLines('codex', ['{"type":"thread.started","thread_id":"t1"}'], exited(null, 'SIGTERM'));
    expect(errorCodes(events)).toEqual(['AGENT_CRASHED']);
  });

  it('fails an untrusted directory from stderr alone', () => {
    const stderr = 'Reading additional input from stdin...\nNot inside a trusted directory and --skip-git-repo-check was not specified.\n';
    const events = normalizeLines('codex', [], exited(1), stderr);
    expect(eventsOf(events, 'agent.error')).toEqual([
      { type: 'agent.error', code: 'AGENT_UNTRUSTED_DIRECTORY', message: 'Not inside a trusted directory and --skip-git-repo-check was not specified.' },
    ]);
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([false]);
  });

  it('fails a turn.completed run whose process exits non-zero', () => {
    const events = normalizeFixture('codex', 'codex-stream.jsonl', exited(1));
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([true]);
    expect(errorCodes(events)).toEqual(['AGENT_CRASHED']);
  });

  it('reports item types it does not know as unknownType and keeps going', () => {
    const events = normalizeLines(
      'codex',
      ['{"type":"item.completed","item":{"id":"item_9","type":"collab_tool_call","foo":1}}', '{"type":"turn.completed","usage":{"input_tokens":1,"output_tokens":2}}'],
      exited(0),
    );
    expect(eventsOf(events, 'agent.unparsed').map((u) => u.reason)).toEqual(['unknownType']);
    expect(eventsOf(events, 'agent.result').map((r) => r.success)).toEqual([true]);
  });

  it('maps mcp_tool_call, web_search and todo_list items from the SDK types', () => {
    const events = normalizeLines(
      'codex',
      [
        '{"type":"item.completed","item":{"id":"item_5","type":"mcp_tool_call","server":"docs","tool":"search","arguments":{"q":"x"},"result":{"content":[],"structured_content":null},"status":"completed"}}',
        '{"type":"item.updated","item":{"id":"item_6","type":"todo_list","items":[{"text":"Run tests","completed":true}]}}',
        '{"type":"item.completed","item":{"id":"item_7","type":"web_search","query":"codex exec json"}}',
      ],
      exited(0),
    );
    expect(eventsOf(events, 'agent.toolCall').map((c) => [c.tool, c.kind])).toEqual([
      ['docs.search', 'mcp'],
      ['web_search', 'web'],
    ]);
    expect(eventsOf(events, 'agent.toolResult').map((r) => r.ok)).toEqual([true, true]);
    expect(eventsOf(events, 'agent.unparsed')).toEqual([]);
  });

  it('reports a declined command as AGENT_PERMISSION_DENIED', () => {
    const events = normalizeLines(
      'codex',
      ['{"type":"item.completed","item":{"id":"item_2","type":"command_execution","command":"rm -rf /","aggregated_output":"","exit_code":null,"status":"declined"}}'],
      exited(0),
    );
    expect(eventsOf(events, 'agent.toolResult').map((r) => r.ok)).toEqual([false]);
    expect(errorCodes(events)).toContain('AGENT_PERMISSION_DENIED');
  });

  it('emits marker events next to an agent_message', () => {
    const text = 'Blocked.\n[[orchestrate:blocker]] the tests need a database';
    const line = JSON.stringify({ type: 'item.completed', item: { id: 'item_1', type: 'agent_message', text } });
    expect(normalizeLines('codex', [line], exited(0)).slice(0, 2)).toEqual([
      { type: 'agent.message', text },
      { type: 'agent.blocker', text: 'the tests need a database', via: 'marker' },
    ]);
  });
});
