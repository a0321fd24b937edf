import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { flagValues, isInsideAny } from './invocation.js';
import { answerText, FILLER, frameAround } from './writer.js';
import type {
  FailOutcome, FileChange, FileOutcome, ShellOutcome, Totals, VendorWriter, WriterContext,
} from './writer.js';
import type { McpOutcome } from './mcp-call.js';
import { GEMINI_NO_SANDBOX_COMMAND, GEMINI_SANDBOX_EXIT_CODE, isGeminiSandboxed } from './sandbox.js';
import type { FailKind } from './scenario.js';

const TRUST_TEXT =
  'Gemini CLI is not running in a trusted directory. To proceed, either use `--skip-trust`, set the ' +
  '`GEMINI_CLI_TRUST_WORKSPACE=true` environment variable, or trust this directory in interactive mode. For more ' +
  'details, see https://geminicli.com/docs/cli/trusted-folders/#headless-and-automated-environments';
const FETCH_FAILED = 'exception TypeError: fetch failed sending request';
const MAX_DELTA = 160;

// Splits assistant text into deltas the way a stream would: per line, long lines in pieces.
function deltas(text: string): string[] {
  if (text.length <= MAX_DELTA && !text.includes('\n')) return [text];
  const pieces: string[] = [];
  for (const line of text.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
    if (line.length <= MAX_DELTA || line.startsWith('[[orchestrate:')) pieces.push(line);
    else for (let i = 0; i < line.length; i += MAX_DELTA) pieces.push(line.slice(i, i + MAX_DELTA));
  }
  return pieces;
}

// Gemini CLI 0.61.0 `-p --output-format stream-json` lines (shapes from fixtures/gemini-*.jsonl).
export class GeminiWriter implements VendorWriter {
  private readonly model: string;
  private calls = 0;
  /** True when the assistant text printed so far ends mid-line. */
  private midLine = false;

  constructor(private readonly ctx: WriterContext) {
    this.model = ctx.inv.model ?? 'gemini-2.5-flash';
  }

  private line(event: Record<string, unknown>): void {
    const { type, ...rest } = event;
    this.ctx.out.json({ type, timestamp: new Date().toISOString(), ...rest });
  }

  private trusted(): boolean {
    return this.ctx.inv.flags.has('--skip-trust') || process.env.GEMINI_CLI_TRUST_WORKSPACE === 'true';
  }

  begin(): void {
    this.line({ type: 'init', session_id: this.ctx.sessionId, model: this.model });
    this.line({ type: 'message', role: 'user', content: this.ctx.inv.prompt });
  }

  // Consecutive say steps are separate lines once the client concatenates the deltas.
  say(text: string): void {
    if (text === '') return;
    const pieces = deltas(text);
    if (this.midLine) pieces[0] = `\n${pieces[0] ?? ''}`;
    for (const content of pieces) this.line({ type: 'message', role: 'assistant', content, delta: true });
    this.midLine = !text.endsWith('\n');
  }

  // Gemini has no output schema: the answer is assistant text like any other.
  answer(value: unknown): void {
    this.say(answerText(value));
  }

  think(_text: string): void {
    // stream-json has no thought events: Gemini CLI does not print its reasoning in this format.
  }

  private toolUse(name: string, parameters: unknown): string {
    const id = `${name}__${name}_${Date.now()}_${this.calls++}`;
    this.line({ type: 'tool_use', tool_name: name, tool_id: id, parameters });
    return id;
  }

  private toolError(id: string, type: string, message: string): void {
    this.line({ type: 'tool_result', tool_id: id, status: 'error', output: message, error: { type, message } });
  }

  shellStart(command: string): string {
    return this.toolUse('run_shell_command', { command, description: 'Run a command' });
  }

  shellEnd(id: string, _command: string, r: ShellOutcome): void {
    const output = r.timedOut ? `Command timed out after ${r.timeoutMs}ms` : r.combined.replace(/\n+$/, '');
    this.line({ type: 'tool_result', tool_id: id, status: 'success', output });
  }

  fileStart(change: FileChange): string {
    if (change.op === 'write') return this.toolUse('write_file', { file_path: change.abs, content: change.content });
    return this.toolUse('replace', {
      file_path: change.abs, old_string: change.find, new_string: change.replace,
      instruction: `Edit ${basename(change.abs)}`,
    });
  }

  fileEnd(id: string, change: FileChange, r: FileOutcome): void {
    if (r.ok) {
      this.line({ type: 'tool_result', tool_id: id, status: 'success' });
      return;
    }
    if (r.reason === 'notFound') {
      this.toolError(id, 'edit_no_occurrence_found',
        `Failed to edit, 0 occurrences found for old_string in ${change.abs}. No edits made. The exact text in ` +
          'old_string was not found. Ensure you\'re not escaping content incorrectly and check whitespace, ' +
          'indentation, and context. Use read_file tool to verify.');
    } else if (r.reason === 'missing') {
      this.toolError(id, 'file_not_found', `File not found: ${change.abs}`);
    } else {
      this.toolError(id, 'file_write_failure', r.message);
    }
  }

  // MCP tools are named mcp_<server>_<tool> (observed with 0.61.0).
  mcpStart(server: string, tool: string, args: Record<string, unknown>): string {
    return this.toolUse(`mcp_${server}_${tool}`, args);
  }

  mcpEnd(id: string, _server: string, _tool: string, _args: Record<string, unknown>, r: McpOutcome): void {
    if (r.ok) this.line({ type: 'tool_result', tool_id: id, status: 'success', output: r.text });
    else this.toolError(id, 'mcp_tool_error', r.text);
  }

  retryNotice(attempt: number): void {
    this.ctx.err.line(`Attempt ${attempt} failed. Retrying with backoff... Error: ${FETCH_FAILED}`);
  }

  hugeLineFrame(): [string, string] {
    const line = JSON.stringify({
      type: 'message', timestamp: new Date().toISOString(), role: 'assistant', content: FILLER, delta: true,
    });
    return frameAround(line, FILLER);
  }

  failsAtStartup(kind: FailKind): boolean {
    if (kind === 'sandboxUnavailable') return isGeminiSandboxed(this.ctx.inv, process.env);
    return kind === 'auth' || (kind === 'trust' && !this.trusted());
  }

  fail(kind: FailKind, totals: Totals, path?: string): FailOutcome {
    switch (kind) {
      case 'trust':
        if (this.trusted()) return { action: 'continue' };
        this.ctx.err.line(`\u001b[31m${TRUST_TEXT}\u001b[0m`);
        return { action: 'exit', code: 55 };
      case 'auth': {
        const home = process.env.GEMINI_CLI_HOME ?? homedir();
        this.ctx.err.line(
          `Please set an Auth method in your ${join(home, '.gemini', 'settings.json')} or specify one of the ` +
            'following environment variables before running: GEMINI_API_KEY, GOOGLE_GENAI_USE_VERTEXAI, ' +
            'GOOGLE_GENAI_USE_GCA',
        );
        return { action: 'exit', code: 41 };
      }
      case 'network':
        for (let n = 1; n <= 3; n++) this.retryNotice(n);
        this.errorResult('unknown', `[API Error: ${FETCH_FAILED}]`, totals);
        return { action: 'exit', code: 1 };
      case 'rateLimit':
        this.errorResult('unknown', '[API Error: {"error":{"code":429,"message":"Resource has been exhausted ' +
          '(e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}]', totals);
        return { action: 'exit', code: 429 & 0xff };
      case 'turnLimit':
        this.errorResult('FatalTurnLimitedError', 'Reached max session turns for this session. Increase the number ' +
          'of turns by specifying maxSessionTurns in settings.json.', totals);
        return { action: 'exit', code: 53 };
      case 'permission': {
        const cwd = this.ctx.inv.cwd;
        const file = path ? resolve(cwd, path) : join(dirname(cwd), 'denied.txt');
        if (isInsideAny(file, [cwd, ...flagValues(this.ctx.inv, '--include-directories')])) return { action: 'continue' };
        const id = this.toolUse('write_file', { file_path: file, content: '' });
        const message = `Path not in workspace: Attempted path "${file}" resolves outside the allowed workspace ` +
          `directories: ${cwd} or the project temp directory: ${join(homedir(), '.gemini', 'tmp', basename(cwd))}`;
        this.toolError(id, 'invalid_tool_params', message);
        this.ctx.err.line(`Error executing tool write_file: ${message}`);
        return { action: 'continue' };
      }
      case 'toolUnavailable': {
        const id = this.toolUse('run_shell_command', { command: 'ls', description: 'List files' });
        const message = 'Tool "run_shell_command" not found. Did you mean one of: "update_topic", "grep_search", ' +
          '"invoke_agent"?';
        this.toolError(id, 'tool_not_registered', message);
        this.ctx.err.line(message);
        return { action: 'continue' };
      }
      case 'budget':
        return { action: 'continue' };
      case 'sandboxUnavailable':
        // --sandbox without docker or podman: the CLI exits before its first line.
        if (!isGeminiSandboxed(this.ctx.inv, process.env)) return { action: 'continue' };
        this.ctx.err.line(`\u001b[31m${GEMINI_NO_SANDBOX_COMMAND}\u001b[0m`);
        return { action: 'exit', code: GEMINI_SANDBOX_EXIT_CODE };
    }
  }

  private stats(t: Totals) {
    const tokens = { total_tokens: t.input + t.output, input_tokens: t.input, output_tokens: t.output, cached: 0,
      input: t.input };
    return { ...tokens, duration_ms: Date.now() - this.ctx.startedAt, tool_calls: t.toolCalls,
      models: { [this.model]: tokens } };
  }

  private errorResult(type: string, message: string, totals: Totals): void {
    this.line({ type: 'result', status: 'error', error: { type, message }, stats: this.stats(totals) });
  }

  finish(totals: Totals): void {
    this.line({ type: 'result', status: 'success', stats: this.stats(totals) });
  }
}
