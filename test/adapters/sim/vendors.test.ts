import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, parseAll, requireBuilt, runSim, tempDir, vendorArgs } from './helpers.js';

beforeAll(requireBuilt);
afterEach(cleanup);

const WORK = {
  steps: [
    { say: 'Starting.' },
    { think: 'Plan: write, edit, run.' },
    { write: { path: 'src/hello.txt', content: 'hello\n' } },
    { edit: { path: 'src/hello.txt', find: 'hello', replace: 'hello world' } },
    { shell: { command: 'cat src/hello.txt; echo oops >&2; exit 3' } },
    { shell: { command: 'echo from-shell' } },
    { usage: { input: 1200, output: 80, costUsd: 0.0123 } },
    { marker: { kind: 'milestone', text: 'file written' } },
    { say: 'Done.' },
  ],
};

type Ev = Record<string, unknown>;
const json = (events: Ev[]) => JSON.stringify(events);

describe('sim happy path, per vendor', () => {
  it('claude: init ... result, real Write/Edit/Bash shapes', async () => {
    const cwd = tempDir();
    const r = await runSim('claude', WORK, vendorArgs('claude', 'do it'), { cwd });
    expect(r.code).toBe(0);
    const ev = parseAll(r.lines);
    expect(ev[0]).toMatchObject({ type: 'system', subtype: 'init', cwd });
    const sid = ev[0]?.session_id as string;
    expect(sid).toMatch(/^[0-9a-f-]{36}$/);
    expect(ev.every((e) => e.session_id === sid)).toBe(true);
    expect(ev.at(-1)).toMatchObject({
      type: 'result', subtype: 'success', is_error: false, result: 'Done.', total_cost_usd: 0.0123,
      usage: { input_tokens: 1200, output_tokens: 80 },
    });
    const names = ev.flatMap((e) => ((e.message as { content?: Ev[] } | undefined)?.content ?? []))
      .filter((b) => b.type === 'tool_use').map((b) => b.name);
    expect(names).toEqual(['Write', 'Edit', 'Bash', 'Bash']);
    expect(json(ev)).toContain('"content":"Exit code 3\\nhello world\\noops","is_error":true');
    expect(json(ev)).toContain('"content":"from-shell","is_error":false');
    expect(json(ev)).toContain('"type":"thinking"');
    expect(json(ev)).toContain('[[orchestrate:milestone]] file written');
    expect(readFileSync(join(cwd, 'src/hello.txt'), 'utf8')).toBe('hello world\n');
  });

  it('codex: thread.started ... turn.completed, command_execution and file_change items', async () => {
    const cwd = tempDir();
    const r = await runSim('codex', WORK, vendorArgs('codex', 'do it', ['-C', cwd]), { cwd: tempDir() });
    expect(r.code).toBe(0);
    const ev = parseAll(r.lines);
    expect(ev.slice(0, 2).map((e) => e.type)).toEqual(['thread.started', 'turn.started']);
    expect(ev.at(-1)).toEqual({
      type: 'turn.completed',
      usage: { input_tokens: 1200, cached_input_tokens: 0, cache_write_input_tokens: 0, output_tokens: 80,
        reasoning_output_tokens: 0 },
    });
    const done = ev.filter((e) => e.type === 'item.completed').map((e) => e.item as Ev);
    expect(done.map((i) => i.type)).toEqual([
      'agent_message', 'reasoning', 'file_change', 'file_change', 'command_execution', 'command_execution',
      'agent_message', 'agent_message',
    ]);
    expect(done[2]).toMatchObject({ changes: [{ path: join(cwd, 'src/hello.txt'), kind: 'add' }], status: 'completed' });
    expect(done[3]).toMatchObject({ changes: [{ kind: 'update' }] });
    expect(done[4]).toMatchObject({ aggregated_output: 'hello world\noops\n', exit_code: 3, status: 'failed' });
    expect(done[5]).toMatchObject({ aggregated_output: 'from-shell\n', exit_code: 0, status: 'completed' });
    expect(ev.filter((e) => e.type === 'item.started')).toHaveLength(4);
    expect(readFileSync(join(cwd, 'src/hello.txt'), 'utf8')).toBe('hello world\n');
  });

  it('gemini: init, user message ... result success with stats', async () => {
    const cwd = tempDir();
    const r = await runSim('gemini', WORK, vendorArgs('gemini', 'do it'), { cwd });
    expect(r.code).toBe(0);
    const ev = parseAll(r.lines);
    expect(ev[0]).toMatchObject({ type: 'init', model: 'gemini-2.5-flash' });
    expect(ev[1]).toMatchObject({ type: 'message', role: 'user', content: 'do it' });
    expect(ev.at(-1)).toMatchObject({
      type: 'result', status: 'success', stats: { input_tokens: 1200, output_tokens: 80, tool_calls: 4 },
    });
    const tools = ev.filter((e) => e.type === 'tool_use').map((e) => e.tool_name);
    expect(tools).toEqual(['write_file', 'replace', 'run_shell_command', 'run_shell_command']);
    const results = ev.filter((e) => e.type === 'tool_result');
    expect(results.every((e) => e.status === 'success')).toBe(true);
    expect(results[2]?.output).toBe('hello world\noops');
    const text = ev.filter((e) => e.role === 'assistant').map((e) => e.content).join('');
    expect(text).toBe('Starting.\n[[orchestrate:milestone]] file written\nDone.');
    expect(ev.filter((e) => e.role === 'assistant').every((e) => e.delta === true)).toBe(true);
    expect(readFileSync(join(cwd, 'src/hello.txt'), 'utf8')).toBe('hello world\n');
  });
});

describe('sim sessions, roles and invocation', () => {
  const SAY = { steps: [{ say: 'hi' }] };

  it('claude and gemini echo --resume <uuid>; codex echoes exec resume <id>', async () => {
    const id = '0f0e0d0c-0b0a-4908-8706-050403020100';
    const claude = parseAll((await runSim('claude', SAY, vendorArgs('claude', 'next', ['--resume', id]))).lines);
    expect(claude.every((e) => e.session_id === id)).toBe(true);
    const gemini = parseAll((await runSim('gemini', SAY, vendorArgs('gemini', 'next', ['--resume', id]))).lines);
    expect(gemini[0]).toMatchObject({ type: 'init', session_id: id });
    const thread = '01a20b02-812a-7523-bc8a-aadd6c03ffd3';
    const codexArgs = ['exec', '--json', '--skip-git-repo-check', 'resume', thread, 'Now say bye'];
    const codex = parseAll((await runSim('codex', SAY, codexArgs)).lines);
    expect(codex[0]).toEqual({ type: 'thread.started', thread_id: thread });
  });

  it('new sessions get fresh ids of the vendor shape', async () => {
    const a = parseAll((await runSim('codex', SAY, vendorArgs('codex', 'x'))).lines)[0]?.thread_id as string;
    const b = parseAll((await runSim('codex', SAY, vendorArgs('codex', 'x'))).lines)[0]?.thread_id as string;
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it('runs the role steps named by the prompt line "Your role: <role>."', async () => {
    const scenario = { steps: [{ say: 'default' }], roles: { reviewer: [{ say: 'reviewing' }] } };
    const prompt = 'Intro.\nYour role: reviewer.\nMore text.';
    const ev = parseAll((await runSim('codex', scenario, vendorArgs('codex', prompt))).lines);
    expect(JSON.stringify(ev)).toContain('"text":"reviewing"');
    const other = parseAll((await runSim('codex', scenario, vendorArgs('codex', 'Your role: architect.'))).lines);
    expect(JSON.stringify(other)).toContain('"text":"default"');
  });

  it('prints the real version lines', async () => {
    expect((await runSim('claude', SAY, ['--version'])).lines).toEqual(['2.1.197 (Claude Code)']);
    expect((await runSim('codex', SAY, ['--version'])).lines).toEqual(['codex-cli 0.169.0']);
    expect((await runSim('gemini', SAY, ['--version'])).lines).toEqual(['0.61.0']);
  });

  it('rejects an invalid scenario with exit 2 and a clear message', async () => {
    const bad = await runSim('claude', { steps: [{ sya: 'typo' }, { write: { path: '../x', content: '' } }] }, []);
    expect(bad.code).toBe(2);
    expect(bad.lines).toEqual([]);
    expect(bad.stderr).toContain('invalid scenario');
    expect(bad.stderr).toContain('sya');
    expect(bad.stderr).toContain('inside the working directory');
    const notJson = await runSim('codex', 'not json', []);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('cannot read scenario');
  });
});
