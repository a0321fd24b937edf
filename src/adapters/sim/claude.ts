import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { flagValues, isInsideAny } from './invocation.js';
import { CLAUDE_SANDBOX_DISABLED_STDERR, CLAUDE_SANDBOX_REQUIRED_ERROR, CLAUDE_SANDBOX_REQUIRED_STDERR, readClaudeSandboxSettings } from './sandbox.js';
import { lineHunk } from './tools.js';
import { answerText, FILLER, frameAround } from './writer.js';
import type {
  FailOutcome, FileChange, FileOutcome, ShellOutcome, Totals, VendorWriter, WriterContext,
} from './writer.js';
import type { McpOutcome } from './mcp-call.js';
import type { FailKind } from './scenario.js';

const FRESH = '(file state is current in your context — no need to Read it back)';
const SYNTHETIC_USAGE = {
  input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0,
  server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 }, service_tier: null,
  cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
  inference_geo: null, iterations: null, speed: null,
};

// Claude Code 2.1.197 `-p --output-format stream-json --verbose` lines (shapes from fixtures/claude-*.jsonl).
export class ClaudeWriter implements VendorWriter {
  private turn = 1;
  private calls = 0;
  private lastText = '';
  /** What the model handed to StructuredOutput, reported as the result's structured_output. */
  private structured: unknown;
  private readonly model: string;
  private readonly denials: unknown[] = [];

  constructor(private readonly ctx: WriterContext) {
    this.model = ctx.inv.model ?? 'claude-sonnet-4-5';
  }

  begin(): void {
    const flags = this.ctx.inv.flags;
    const mode = flags.has('--dangerously-skip-permissions') ? 'bypassPermissions' : flags.get('--permission-mode');
    this.ctx.out.json({
      type: 'system', subtype: 'init', cwd: this.ctx.inv.cwd, session_id: this.ctx.sessionId,
      tools: ['Task', 'Bash', 'Edit', 'Read', 'WebFetch', 'WebSearch', 'Write'], mcp_servers: [],
      model: this.model, permissionMode: typeof mode === 'string' ? mode : 'default', slash_commands: [],
      apiKeySource: 'none', claude_code_version: '2.1.197', output_style: 'default', agents: [], skills: [],
      plugins: [], analytics_disabled: false, product_feedback_disabled: false, uuid: randomUUID(),
      fast_mode_state: 'off',
    });
  }

  private assistantLine(block: unknown): Record<string, unknown> {
    return {
      type: 'assistant',
      message: {
        id: `msg_sim_${this.turn}`, type: 'message', role: 'assistant', model: this.model, content: [block],
        stop_reason: null, stop_sequence: null,
        usage: { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 },
        context_management: null,
      },
      parent_tool_use_id: null, session_id: this.ctx.sessionId, uuid: randomUUID(),
    };
  }

  private toolResult(id: string, content: unknown, isError: boolean | undefined, result: unknown): void {
    const block: Record<string, unknown> = { tool_use_id: id, type: 'tool_result', content };
    if (isError !== undefined) block.is_error = isError;
    this.ctx.out.json({
      type: 'user', message: { role: 'user', content: [block] }, parent_tool_use_id: null,
      session_id: this.ctx.sessionId, uuid: randomUUID(), timestamp: new Date().toISOString(), tool_use_result: result,
    });
    this.turn++;
  }

  private toolUse(name: string, input: unknown): string {
    const id = `toolu_sim_${++this.calls}`;
    this.ctx.out.json(this.assistantLine({ type: 'tool_use', id, name, input }));
    return id;
  }

  say(text: string): void {
    this.lastText = text;
    this.ctx.out.json(this.assistantLine({ type: 'text', text }));
  }

  think(text: string): void {
    this.ctx.out.json(this.assistantLine({ type: 'thinking', thinking: text, signature: 'c2ltdWxhdGVk' }));
  }

  // Under --json-schema the real CLI gives the model a StructuredOutput tool; an object answer is a call to
  // it, and the result line carries it as structured_output. Anything else is a plain text answer.
  answer(value: unknown): void {
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    if (!isObject || !this.ctx.inv.flags.has('--json-schema')) {
      this.say(answerText(value));
      return;
    }
    const done = 'Structured output provided successfully';
    this.toolResult(this.toolUse('StructuredOutput', value), done, undefined, done);
    this.structured = value;
    this.lastText = JSON.stringify(value);
  }

  shellStart(command: string): string {
    return this.toolUse('Bash', { command, description: 'Run a command' });
  }

  shellEnd(id: string, _command: string, r: ShellOutcome): void {
    if (r.exitCode === 0 && !r.timedOut) {
      const content = [r.stdout, r.stderr].map((s) => s.replace(/\n+$/, '')).filter((s) => s !== '').join('\n');
      const result = { stdout: r.stdout.replace(/\n+$/, ''), stderr: r.stderr.replace(/\n+$/, ''),
        interrupted: false, isImage: false, noOutputExpected: false };
      this.toolResult(id, content, false, result);
      return;
    }
    const head = r.timedOut ? `Command timed out after ${r.timeoutMs}ms` : `Exit code ${r.exitCode}`;
    const text = [head, r.combined.replace(/\n+$/, '')].filter((s) => s !== '').join('\n');
    this.toolResult(id, text, true, `Error: ${text}`);
  }

  fileStart(change: FileChange): string {
    if (change.op === 'write') return this.toolUse('Write', { file_path: change.abs, content: change.content });
    return this.toolUse('Edit', {
      replace_all: false, file_path: change.abs, old_string: change.find, new_string: change.replace,
    });
  }

  fileEnd(id: string, change: FileChange, r: FileOutcome): void {
    if (!r.ok) {
      const text = r.reason === 'notFound'
        ? `String to replace not found in file.\nString: ${change.op === 'edit' ? change.find : ''}`
        : r.reason === 'missing' ? 'File does not exist.' : r.message;
      this.toolResult(id, `<tool_use_error>${text}</tool_use_error>`, true, `Error: ${text}`);
      return;
    }
    const patch = r.before === null ? [] : [lineHunk(r.before, r.after)];
    if (change.op === 'write' && r.before === null) {
      this.toolResult(id, `File created successfully at: ${change.abs} ${FRESH}`, undefined, {
        type: 'create', filePath: change.abs, content: change.content, structuredPatch: [], originalFile: null,
        userModified: false,
      });
      return;
    }
    const content = `The file ${change.abs} has been updated successfully. ${FRESH}`;
    if (change.op === 'write') {
      this.toolResult(id, content, undefined, {
        type: 'update', filePath: change.abs, content: change.content, structuredPatch: patch,
        originalFile: r.before, userModified: false,
      });
      return;
    }
    this.toolResult(id, content, undefined, {
      filePath: change.abs, oldString: change.find, newString: change.replace, originalFile: r.before,
      structuredPatch: patch, userModified: false, replaceAll: false,
    });
  }

  // MCP tools are named mcp__<server>__<tool>; their results are content blocks (observed with 2.1.197).
  mcpStart(server: string, tool: string, args: Record<string, unknown>): string {
    return this.toolUse(`mcp__${server}__${tool}`, args);
  }

  mcpEnd(id: string, _server: string, _tool: string, _args: Record<string, unknown>, r: McpOutcome): void {
    const blocks = [{ type: 'text', text: r.text }];
    this.toolResult(id, blocks, r.ok ? undefined : true, r.ok ? blocks : `Error: ${r.text}`);
  }

  retryNotice(attempt: number): void {
    this.ctx.out.json({
      type: 'system', subtype: 'api_retry', attempt: ((attempt - 1) % 10) + 1, max_retries: 10,
      retry_delay_ms: 500, error_status: null, error: 'unknown', session_id: this.ctx.sessionId, uuid: randomUUID(),
    });
  }

  hugeLineFrame(): [string, string] {
    return frameAround(JSON.stringify(this.assistantLine({ type: 'text', text: FILLER })), FILLER);
  }

  failsAtStartup(kind: FailKind): boolean {
    return kind === 'sandboxUnavailable' && readClaudeSandboxSettings(this.ctx.inv).failIfUnavailable;
  }

  fail(kind: FailKind, totals: Totals, path?: string): FailOutcome {
    switch (kind) {
      case 'auth':
        return this.apiError('Not logged in · Please run /login', 'authentication_failed', null, totals);
      case 'network':
        return this.apiError('API Error: Unable to connect to API (ConnectionRefused)', 'server_error', null, totals);
      case 'rateLimit':
        return this.apiError('API Error: Rate limit reached', 'rate_limit', 429, totals);
      case 'turnLimit': {
        const max = this.ctx.inv.flags.get('--max-turns');
        this.errorResult('error_max_turns', `Reached maximum number of turns (${typeof max === 'string' ? max : 1})`,
          totals, { stop_reason: 'tool_use', terminal_reason: 'max_turns' });
        return { action: 'exit', code: 1 };
      }
      case 'budget': {
        const max = this.ctx.inv.flags.get('--max-budget-usd');
        this.errorResult('error_max_budget_usd', `Reached maximum budget ($${typeof max === 'string' ? max : '0.001'})`,
          totals, { stop_reason: null });
        return { action: 'exit', code: 1 };
      }
      case 'permission': {
        const file = resolve(this.ctx.inv.cwd, path ?? 'denied.txt');
        // Given a path, the write is denied only outside the working directory and --add-dir, as the real CLI does.
        if (path && isInsideAny(file, [this.ctx.inv.cwd, ...flagValues(this.ctx.inv, '--add-dir')])) return { action: 'continue' };
        const input = { file_path: file, content: '' };
        const id = this.toolUse('Write', input);
        const text = `Claude requested permissions to write to ${file}, but you haven't granted it yet.`;
        this.toolResult(id, text, true, `Error: ${text}`);
        this.denials.push({ tool_name: 'Write', tool_use_id: id, tool_input: input });
        return { action: 'continue' };
      }
      case 'toolUnavailable': {
        const id = this.toolUse('Bash', { command: 'ls', description: 'List files' });
        const text = 'Error: No such tool available: Bash';
        this.toolResult(id, `<tool_use_error>${text}</tool_use_error>`, true, text);
        return { action: 'continue' };
      }
      case 'trust':
        return { action: 'continue' };
      case 'sandboxUnavailable':
        return this.sandboxUnavailable(totals);
    }
  }

  // With sandbox.failIfUnavailable the CLI refuses to start; with the sandbox only enabled it warns and goes on.
  private sandboxUnavailable(totals: Totals): FailOutcome {
    const settings = readClaudeSandboxSettings(this.ctx.inv);
    if (!settings.enabled) return { action: 'continue' };
    if (!settings.failIfUnavailable) {
      for (const line of CLAUDE_SANDBOX_DISABLED_STDERR) this.ctx.err.line(line);
      return { action: 'continue' };
    }
    this.errorResult('error_during_execution', CLAUDE_SANDBOX_REQUIRED_ERROR, totals, { stop_reason: null });
    for (const line of CLAUDE_SANDBOX_REQUIRED_STDERR) this.ctx.err.line(line);
    return { action: 'exit', code: 1 };
  }

  private apiError(text: string, error: string, status: number | null, totals: Totals): FailOutcome {
    this.ctx.out.json({
      type: 'assistant',
      message: {
        id: randomUUID(), container: null, model: '<synthetic>', role: 'assistant', stop_details: null,
        stop_reason: 'stop_sequence', stop_sequence: '', type: 'message', usage: SYNTHETIC_USAGE,
        content: [{ type: 'text', text }], context_management: null,
      },
      parent_tool_use_id: null, session_id: this.ctx.sessionId, uuid: randomUUID(), error,
    });
    this.ctx.out.json({
      type: 'result', subtype: 'success', is_error: true, api_error_status: status, ...this.timing(), num_turns: this.turn,
      result: text, stop_reason: 'stop_sequence', session_id: this.ctx.sessionId, ...this.usage(totals),
      permission_denials: this.denials, terminal_reason: 'completed', fast_mode_state: 'off', uuid: randomUUID(),
    });
    return { action: 'exit', code: 1 };
  }

  private errorResult(subtype: string, error: string, totals: Totals, extra: Record<string, unknown>): void {
    this.ctx.out.json({
      type: 'result', subtype, ...this.timing(), is_error: true, num_turns: this.turn,
      session_id: this.ctx.sessionId, ...this.usage(totals), permission_denials: this.denials, fast_mode_state: 'off',
      uuid: randomUUID(), ...extra, errors: [error],
    });
  }

  private timing() {
    const ms = Date.now() - this.ctx.startedAt;
    return { duration_ms: ms, duration_api_ms: Math.round(ms / 2) };
  }

  private usage(t: Totals) {
    const modelUsage = t.input + t.output === 0 && t.costUsd === 0 ? {} : {
      [this.model]: {
        inputTokens: t.input, outputTokens: t.output, cacheReadInputTokens: 0, cacheCreationInputTokens: 0,
        webSearchRequests: 0, costUSD: t.costUsd, contextWindow: 200000, maxOutputTokens: 32000,
      },
    };
    return {
      total_cost_usd: t.costUsd,
      usage: {
        input_tokens: t.input, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: t.output,
        server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 }, service_tier: 'standard',
        cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 }, inference_geo: '',
        iterations: [], speed: 'standard',
      },
      modelUsage,
    };
  }

  finish(totals: Totals): void {
    this.ctx.out.json({
      type: 'result', subtype: 'success', is_error: false, api_error_status: null, ...this.timing(),
      num_turns: this.turn, result: this.lastText, stop_reason: 'end_turn', session_id: this.ctx.sessionId,
      ...this.usage(totals), permission_denials: this.denials,
      ...(this.structured === undefined ? {} : { structured_output: this.structured }),
      terminal_reason: 'completed', fast_mode_state: 'off', uuid: randomUUID(),
    });
  }
}
