import { randomUUID } from 'node:crypto';
import { answerText, FILLER, frameAround } from './writer.js';
import type {
  FailOutcome, FileChange, FileOutcome, ShellOutcome, Totals, VendorWriter, WriterContext,
} from './writer.js';
import type { McpOutcome } from './mcp-call.js';
import { CODEX_BWRAP_FAILURE, isCodexSandboxed } from './sandbox.js';
import type { FailKind } from './scenario.js';

const API_URL = 'https://api.openai.com/v1/responses';
const OFFLINE = 'stream disconnected before completion: failed to lookup address information: Name does not resolve';

// Codex wraps every command like this in its events: /bin/bash -lc '<command>'.
function wrap(command: string): string {
  return `/bin/bash -lc '${command.replace(/'/g, `'\\''`)}'`;
}

// Codex 0.169.0 `exec --json` lines (shapes from fixtures/codex-*.jsonl).
export class CodexWriter implements VendorWriter {
  private items = 0;

  constructor(private readonly ctx: WriterContext) {}

  private nextItem(): string {
    return `item_${this.items++}`;
  }

  private completed(item: Record<string, unknown>): void {
    this.ctx.out.json({ type: 'item.completed', item: { id: this.nextItem(), ...item } });
  }

  begin(): void {
    this.ctx.out.json({ type: 'thread.started', thread_id: this.ctx.sessionId });
    this.ctx.out.json({ type: 'turn.started' });
  }

  say(text: string): void {
    this.completed({ type: 'agent_message', text });
  }

  think(text: string): void {
    this.completed({ type: 'reasoning', text });
  }

  // With --output-schema the real CLI's answer is the last agent_message, as JSON text.
  answer(value: unknown): void {
    this.say(answerText(value));
  }

  shellStart(command: string): string {
    const id = this.nextItem();
    this.ctx.out.json({
      type: 'item.started',
      item: { id, type: 'command_execution', command: wrap(command), aggregated_output: '', exit_code: null,
        status: 'in_progress' },
    });
    return id;
  }

  shellEnd(id: string, command: string, r: ShellOutcome): void {
    const output = r.timedOut ? `${r.combined}command timed out after ${r.timeoutMs} milliseconds\n` : r.combined;
    this.ctx.out.json({
      type: 'item.completed',
      item: { id, type: 'command_execution', command: wrap(command), aggregated_output: output,
        exit_code: r.exitCode, status: r.exitCode === 0 ? 'completed' : 'failed' },
    });
  }

  private fileItem(id: string, change: FileChange, kind: 'add' | 'update', status: string) {
    return { id, type: 'file_change', changes: [{ path: change.abs, kind }], status };
  }

  fileStart(change: FileChange): string {
    const id = this.nextItem();
    const kind = change.op === 'write' && !change.existed ? 'add' : 'update';
    this.ctx.out.json({ type: 'item.started', item: this.fileItem(id, change, kind, 'in_progress') });
    return id;
  }

  fileEnd(id: string, change: FileChange, r: FileOutcome): void {
    const kind = change.op === 'write' && !change.existed ? 'add' : 'update';
    const item = this.fileItem(id, change, kind, r.ok ? 'completed' : 'failed');
    this.ctx.out.json({ type: 'item.completed', item });
  }

  // An mcp_tool_call item, started then completed (observed with 0.169): a tool error fails it.
  mcpStart(server: string, tool: string, args: Record<string, unknown>): string {
    const id = this.nextItem();
    const item = { id, type: 'mcp_tool_call', server, tool, arguments: args, result: null, error: null, status: 'in_progress' };
    this.ctx.out.json({ type: 'item.started', item });
    return id;
  }

  mcpEnd(id: string, server: string, tool: string, args: Record<string, unknown>, r: McpOutcome): void {
    const ending = r.ok
      ? { result: { content: [{ type: 'text', text: r.text }], structured_content: null }, error: null, status: 'completed' }
      : { result: null, error: { message: r.text }, status: 'failed' };
    this.ctx.out.json({ type: 'item.completed', item: { id, type: 'mcp_tool_call', server, tool, arguments: args, ...ending } });
  }

  retryNotice(attempt: number): void {
    const message = attempt <= 5
      ? `Reconnecting... ${attempt}/5 (stream disconnected before completion: error sending request for url (${API_URL}))`
      : 'Reconnecting... waiting for network (Connection failed: error sending request)';
    this.ctx.out.json({ type: 'error', message });
  }

  hugeLineFrame(): [string, string] {
    const line = JSON.stringify({ type: 'item.completed', item: { id: this.nextItem(), type: 'agent_message', text: FILLER } });
    return frameAround(line, FILLER);
  }

  failsAtStartup(kind: FailKind): boolean {
    return kind === 'trust' && !this.ctx.inv.flags.has('--skip-git-repo-check');
  }

  fail(kind: FailKind, _totals: Totals): FailOutcome {
    const out = this.ctx.out;
    switch (kind) {
      case 'trust':
        if (this.ctx.inv.flags.has('--skip-git-repo-check')) return { action: 'continue' };
        this.ctx.err.line('Not inside a trusted directory and --skip-git-repo-check was not specified.');
        return { action: 'exit', code: 1 };
      case 'auth':
        return this.turnFailed(
          'unexpected status 401 Unauthorized: Incorrect API key provided: sk-sim. You can find your API key at ' +
            `https://platform.openai.com/account/api-keys., url: ${API_URL}`,
        );
      case 'rateLimit':
        return this.turnFailed(`exceeded retry limit, last status: 429 Too Many Requests, request id: ${randomUUID()}`);
      case 'network':
        for (let n = 2; n <= 5; n++) out.json({ type: 'error', message: `Reconnecting... ${n}/5 (${OFFLINE})` });
        this.completed({ type: 'error', message: `Falling back from WebSockets to HTTPS transport. ${OFFLINE}` });
        return { action: 'retryForever', firstAttempt: 6 };
      case 'permission':
        this.ctx.err.line(
          `${new Date().toISOString()} ERROR codex_core::tools::router: error=patch rejected: writing is blocked by ` +
            'read-only sandbox; rejected by user approval settings',
        );
        return { action: 'continue' };
      case 'turnLimit':
      case 'budget':
      case 'toolUnavailable':
        return { action: 'continue' };
      case 'sandboxUnavailable':
        return this.sandboxUnavailable();
    }
  }

  // Codex starts anyway: each command then fails in the sandbox that cannot start.
  private sandboxUnavailable(): FailOutcome {
    if (!isCodexSandboxed(this.ctx.inv)) return { action: 'continue' };
    const command = 'ls';
    const stderr = `${CODEX_BWRAP_FAILURE}\n`;
    this.shellEnd(this.shellStart(command), command, { stdout: '', stderr, combined: stderr, exitCode: 1, timedOut: false, timeoutMs: 0 });
    return { action: 'continue' };
  }

  private turnFailed(message: string): FailOutcome {
    for (let n = 1; n <= 5; n++) this.ctx.out.json({ type: 'error', message: `Reconnecting... ${n}/5 (${message})` });
    this.ctx.out.json({ type: 'error', message });
    this.ctx.out.json({ type: 'turn.failed', error: { message } });
    return { action: 'exit', code: 1 };
  }

  finish(t: Totals): void {
    this.ctx.out.json({
      type: 'turn.completed',
      usage: { input_tokens: t.input, cached_input_tokens: 0, cache_write_input_tokens: 0, output_tokens: t.output,
        reasoning_output_tokens: 0 },
    });
  }
}
