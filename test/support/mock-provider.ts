/*
 * A loopback fake of the three model providers' HTTP APIs, for contract tests that run the REAL
 * agent CLIs (Claude Code, Codex CLI, Gemini CLI) without credentials or network.
 *
 * It implements just enough of
 *   - Anthropic Messages          POST /v1/messages (SSE when `stream`), POST /v1/messages/count_tokens
 *   - OpenAI Responses            POST <base>/responses (SSE), GET <base>/models
 *   - Gemini generateContent      POST /<version>/models/<model>:streamGenerateContent (SSE),
 *                                 :generateContent, :countTokens
 * and answers with scripted replies. The CLIs' own logic, tool execution and event output stay
 * real; only the model's answers, token counts and costs are made up.
 *
 * Scenarios:
 *   - "full": run a shell command, write `hello.txt` ("hello"), edit it to "hello world", then a final
 *     text. The step is the number of tool results the CLI has sent back since the last user prompt,
 *     so a resumed conversation starts the script again.
 *   - "text": a single text answer.
 *   - "report": the model calls the agent channel's report_milestone tool with a scripted summary (under
 *     whatever name the CLI offers it: the offered tool whose name ends with report_milestone), then
 *     ends with a final text; without such a tool it answers that it has none.
 *   - "review": a reviewer's answer, the verdict JSON `reviewVerdict`: through the StructuredOutput tool
 *     when the CLI offers one (Claude with --json-schema), else as the final text. With `reviewAttempts`
 *     the model first tries to change the worktree, each vendor's ways (write a file, run a command that
 *     creates one, leave plan mode), so a test can see the read-only invocation refuse them.
 * Mode "http401" answers every POST with the vendor's own 401 error body.
 *
 * Side calls (Claude's title generation, Gemini's router / next-speaker checks: any call that offers
 * no tools) get a small JSON text answer that satisfies each of them.
 *
 * One instance per test: `const p = await startMockProvider({ workdir }); ... await p.close()`.
 * It listens on 127.0.0.1 with a port chosen by the OS.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { REVIEW_PROMPT_OPENING } from '../../src/domain/index.js';

export type MockScenario = 'full' | 'text' | 'report' | 'review';
export type MockMode = 'ok' | 'http401';
export type MockVendor = 'anthropic' | 'openai' | 'gemini' | 'other';

export interface MockProviderOptions {
  scenario?: MockScenario;
  mode?: MockMode;
  /** The agent's working directory; the scripted file paths are built from it. */
  workdir?: string;
  /** The shell command of the "full" scenario. */
  command?: string;
  /** The file the "full" scenario writes and edits, relative to `workdir`. */
  fileName?: string;
  /** In the "review" scenario, try to change the worktree before answering. */
  reviewAttempts?: boolean;
  /** Answer a request whose prompt is a reviewer's (buildReviewPrompt) as the "review" scenario does, whatever the scenario. */
  answerReviews?: boolean;
  /** The "review" scenario's answer; a request for changes by default. */
  reviewVerdict?: Json;
}

export interface RecordedRequest {
  vendor: MockVendor;
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when the body was empty or not JSON. */
  body: unknown;
  /** What the fake answered: a step label such as `main:0`, `side`, `401`, `404`. */
  answer: string;
}

export interface MockProvider {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Mutable so one instance can serve several runs of a test. */
  scenario: MockScenario;
  mode: MockMode;
  workdir: string;
  readonly command: string;
  readonly fileName: string;
  /** The scripted texts, so tests can assert on them. */
  readonly texts: { readonly intro: string; readonly final: string; readonly text: string; readonly report: string };
  /** The "full" scenario's file content after the write and after the edit. */
  readonly fileContents: { readonly written: string; readonly edited: string };
  /** The "review" scenario's answer. */
  readonly reviewVerdict: Readonly<Json>;
  close(): Promise<void>;
}

export const DEFAULT_MOCK_COMMAND = 'echo contract-shell-ok';
const INTRO_TEXT = "I'll run a shell command first.";
const FINAL_TEXT = 'Done: ran the command and created hello.txt.';
const PLAIN_TEXT = 'Hello from the fake provider.';
const REPORT_TOOL = 'report_milestone';
const REPORT_TEXT = 'contract milestone: the scripted step is done';
const REPORTED_TEXT = 'Reported the milestone.';
const NO_REPORT_TOOL_TEXT = 'No report_milestone tool was offered.';
const WRITTEN = 'hello\n';
const EDITED = 'hello world\n';

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function arrayOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Writes a whole SSE stream. `named` adds an `event:` line with each event's `type`. */
function sendSse(res: http.ServerResponse, events: readonly Json[], named: boolean): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  for (const ev of events) {
    const name = named && typeof ev.type === 'string' ? `event: ${ev.type}\n` : '';
    res.write(`${name}data: ${JSON.stringify(ev)}\n\n`);
  }
  res.end();
}

/**
 * The script step: how many tool results were sent back after the last real user prompt.
 * `isPrompt` and `countResults` see one conversation entry each.
 */
function stepSinceLastPrompt(entries: readonly unknown[], isPrompt: (e: unknown) => boolean, countResults: (e: unknown) => number): number {
  let start = 0;
  entries.forEach((e, i) => {
    if (isPrompt(e)) start = i + 1;
  });
  let n = 0;
  for (const e of entries.slice(start)) n += countResults(e);
  return n;
}

// ---------------------------------------------------------------- Anthropic Messages

type AnthropicBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Json };

function anthropicToolResults(m: unknown): number {
  if (!isRecord(m) || m.role !== 'user') return 0;
  return arrayOf(m.content).filter((c) => isRecord(c) && c.type === 'tool_result').length;
}

function anthropicIsPrompt(m: unknown): boolean {
  return isRecord(m) && m.role === 'user' && anthropicToolResults(m) === 0;
}

// ---------------------------------------------------------------- Gemini

function geminiFunctionResponses(c: unknown): number {
  if (!isRecord(c)) return 0;
  return arrayOf(c.parts).filter((p) => isRecord(p) && p.functionResponse !== undefined).length;
}

function geminiIsPrompt(c: unknown): boolean {
  if (!isRecord(c) || c.role !== 'user') return false;
  const parts = arrayOf(c.parts);
  return geminiFunctionResponses(c) === 0 && parts.some((p) => isRecord(p) && typeof p.text === 'string');
}

// ---------------------------------------------------------------- OpenAI Responses

function openaiIsPrompt(item: unknown): boolean {
  return isRecord(item) && item.role === 'user' && (item.type === undefined || item.type === 'message');
}

function openaiToolResults(item: unknown): number {
  return isRecord(item) && (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') ? 1 : 0;
}

function toolNames(body: Json): string[] {
  return arrayOf(body.tools).flatMap((t) => {
    if (!isRecord(t)) return [];
    if (typeof t.name === 'string') return [t.name];
    // Gemini: tools: [{ functionDeclarations: [{ name }] }]
    const decls = arrayOf(t.functionDeclarations).flatMap((d) => (isRecord(d) && typeof d.name === 'string' ? [d.name] : []));
    if (decls.length > 0) return decls;
    return typeof t.type === 'string' ? [t.type] : [];
  });
}

/** A tool by name, with the namespace a Codex tool_search put it in (MCP tools come as namespace `mcp__<server>`). */
interface OfferedTool {
  name: string;
  namespace?: string;
}

/** The tools a Codex tool_search found, from its `tool_search_output` items. */
function searchedTools(body: Json): OfferedTool[] {
  const unfold = (t: unknown, namespace?: string): OfferedTool[] => {
    if (!isRecord(t) || typeof t.name !== 'string') return [];
    if (t.type === 'namespace') return arrayOf(t.tools).flatMap((inner) => unfold(inner, t.name as string));
    return [namespace === undefined ? { name: t.name } : { name: t.name, namespace }];
  };
  return arrayOf(body.input).flatMap((item) => (isRecord(item) && item.type === 'tool_search_output' ? arrayOf(item.tools).flatMap((t) => unfold(t)) : []));
}

/** The "report" scenario's call, under the name this CLI offers the channel's tool by; undefined when it offers none. */
function reportCall(body: Json): (OfferedTool & { input: Json }) | undefined {
  const offered = [...toolNames(body).map((name) => ({ name })), ...searchedTools(body)];
  const tool = offered.find((t) => t.name.endsWith(REPORT_TOOL));
  return tool === undefined ? undefined : { ...tool, input: { summary: REPORT_TEXT } };
}

/**
 * The "report" scenario's answer at step s: the tool call first, then a text saying how it went. Codex offers MCP
 * tools only through its tool_search tool: the model searches for it first.
 */
function reportAnswer(body: Json, s: number): { call: OfferedTool & { input: Json } } | { search: string } | { text: string } {
  const call = reportCall(body);
  if (call && s === 0) return { call };
  const searched = arrayOf(body.input).some((item) => isRecord(item) && item.type === 'tool_search_output');
  if (!call && !searched && toolNames(body).includes('tool_search')) return { search: REPORT_TOOL };
  return { text: call ? REPORTED_TEXT : NO_REPORT_TOOL_TEXT };
}

// ---------------------------------------------------------------- the "review" scenario

const REVIEW_VERDICT: Json = {
  verdict: 'request_changes',
  findings: [{ severity: 'major', file: 'README.md', line: 1, message: 'The heading does not name the project.' }],
  summary: 'One finding: the README heading is generic.',
};
const STRUCTURED_OUTPUT_TOOL = 'StructuredOutput';

interface ToolCall {
  name: string;
  input: Json;
}

/**
 * What the fake reviewer tries before answering, when asked to: for each vendor, a file write, a shell
 * command that creates a file, and (Claude, Gemini) leaving plan mode. Every path is inside `workdir`.
 */
function reviewAttemptsOf(vendor: MockVendor, workdir: string): ToolCall[] {
  const written = path.join(workdir, 'review-written.txt');
  const touch = `touch ${path.join(workdir, 'review-touched.txt')}`;
  switch (vendor) {
    case 'anthropic':
      return [
        { name: 'Write', input: { file_path: written, content: 'written by a reviewer\n' } },
        { name: 'Bash', input: { command: touch, description: 'Create a file' } },
        { name: 'ExitPlanMode', input: { plan: 'Change the files.' } },
      ];
    case 'openai':
      return [
        { name: 'shell', input: { command: touch } },
        { name: 'apply_patch', input: { patch: '*** Begin Patch\n*** Add File: review-written.txt\n+written by a reviewer\n*** End Patch\n' } },
      ];
    case 'gemini':
      return [
        { name: 'write_file', input: { file_path: 'review-plan.md', content: '# Plan\n\nChange the files.\n' } },
        { name: 'exit_plan_mode', input: { plan_filename: 'review-plan.md' } },
        { name: 'write_file', input: { file_path: written, content: 'written by a reviewer\n' } },
        { name: 'run_shell_command', input: { command: touch, description: 'Create a file' } },
      ];
    case 'other':
      return [];
  }
}

/** The "review" scenario's turn at step s: the attempts first (when asked for), then the verdict. */
function reviewTurn(vendor: MockVendor, workdir: string, attempts: boolean, s: number): { call: ToolCall } | { verdict: true } {
  const call = attempts ? reviewAttemptsOf(vendor, workdir)[s] : undefined;
  return call ? { call } : { verdict: true };
}

/** True once the model has called Claude's StructuredOutput tool in this conversation. */
function calledStructuredOutput(messages: readonly unknown[]): boolean {
  return messages.some((m) => isRecord(m) && arrayOf(m.content).some((c) => isRecord(c) && c.type === 'tool_use' && c.name === STRUCTURED_OUTPUT_TOOL));
}

/** The shell call of an OpenAI Responses turn, under the name (and argument shape) this Codex offers. */
function openaiShellCall(names: readonly string[], command: string): { name: string; args: Json } {
  if (names.includes('exec_command')) return { name: 'exec_command', args: { cmd: command } };
  if (names.includes('shell_command')) return { name: 'shell_command', args: { command } };
  return { name: 'shell', args: { command: ['bash', '-lc', command] } };
}

// ---------------------------------------------------------------- server

export async function startMockProvider(options: MockProviderOptions = {}): Promise<MockProvider> {
  const requests: RecordedRequest[] = [];
  let seq = 0;

  const state = {
    scenario: options.scenario ?? 'full',
    mode: options.mode ?? 'ok',
    workdir: options.workdir ?? process.cwd(),
  };
  const command = options.command ?? DEFAULT_MOCK_COMMAND;
  const fileName = options.fileName ?? 'hello.txt';
  const reviewAttempts = options.reviewAttempts ?? false;
  const verdict = options.reviewVerdict ?? REVIEW_VERDICT;
  const verdictText = JSON.stringify(verdict);
  const filePath = (): string => path.join(state.workdir, fileName);

  // The scenario of one request: a review prompt is answered as a reviewer when asked to, whatever the provider's scenario.
  function scenarioOf(body: Json): MockScenario {
    return options.answerReviews && JSON.stringify(body).includes(REVIEW_PROMPT_OPENING) ? 'review' : state.scenario;
  }

  function step(entries: readonly unknown[], isPrompt: (e: unknown) => boolean, count: (e: unknown) => number): number {
    return state.scenario === 'text' ? -1 : stepSinceLastPrompt(entries, isPrompt, count);
  }

  // ---- Anthropic
  function anthropic(res: http.ServerResponse, body: Json, rec: RecordedRequest): void {
    const model = typeof body.model === 'string' ? body.model : 'claude-sonnet-4-5';
    // A reviewer has no Bash: in the "review" scenario any call that offers tools is the main one.
    const scenario = scenarioOf(body);
    const isMain = toolNames(body).includes('Bash') || (scenario === 'review' && toolNames(body).length > 0);
    const blocks: AnthropicBlock[] = [];
    let stop = 'end_turn';
    if (!isMain) {
      // Title / topic generation and other helper calls.
      rec.answer = 'side';
      blocks.push({ type: 'text', text: '{"title":"Contract test","isNewTopic":true}' });
    } else {
      const s = step(arrayOf(body.messages), anthropicIsPrompt, anthropicToolResults);
      rec.answer = `main:${s}`;
      const report = scenario === 'report' ? reportAnswer(body, s) : undefined;
      const review = scenario === 'review' ? reviewTurn('anthropic', state.workdir, reviewAttempts, s) : undefined;
      if (review && 'call' in review) {
        blocks.push({ type: 'tool_use', id: `toolu_contract_review_${s}`, name: review.call.name, input: review.call.input });
        stop = 'tool_use';
      } else if (review && toolNames(body).includes(STRUCTURED_OUTPUT_TOOL) && !calledStructuredOutput(arrayOf(body.messages))) {
        blocks.push({ type: 'tool_use', id: 'toolu_contract_verdict', name: STRUCTURED_OUTPUT_TOOL, input: verdict });
        stop = 'tool_use';
      } else if (review) {
        blocks.push({ type: 'text', text: verdictText });
      } else if (report && 'call' in report) {
        blocks.push({ type: 'tool_use', id: 'toolu_contract_report', name: report.call.name, input: report.call.input });
        stop = 'tool_use';
      } else if (report && 'text' in report) {
        blocks.push({ type: 'text', text: report.text });
      } else if (s === 0) {
        blocks.push({ type: 'text', text: INTRO_TEXT });
        blocks.push({ type: 'tool_use', id: 'toolu_contract_1', name: 'Bash', input: { command, description: 'Run the scripted command' } });
        stop = 'tool_use';
      } else if (s === 1) {
        blocks.push({ type: 'tool_use', id: 'toolu_contract_2', name: 'Write', input: { file_path: filePath(), content: WRITTEN } });
        stop = 'tool_use';
      } else if (s === 2) {
        blocks.push({
          type: 'tool_use',
          id: 'toolu_contract_3',
          name: 'Edit',
          input: { file_path: filePath(), old_string: 'hello', new_string: 'hello world' },
        });
        stop = 'tool_use';
      } else {
        blocks.push({ type: 'text', text: s < 0 ? PLAIN_TEXT : FINAL_TEXT });
      }
    }
    const id = `msg_contract_${seq}`;
    const usage = { input_tokens: 1200, cache_creation_input_tokens: 0, cache_read_input_tokens: 100, output_tokens: 1 };
    if (body.stream !== true) {
      sendJson(res, 200, {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: blocks,
        stop_reason: stop,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 25 },
      });
      return;
    }
    const events: Json[] = [
      { type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage } },
    ];
    blocks.forEach((b, index) => {
      if (b.type === 'text') {
        events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
        events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: b.text } });
      } else {
        events.push({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } });
        events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(b.input) } });
      }
      events.push({ type: 'content_block_stop', index });
    });
    events.push({ type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 25 } });
    events.push({ type: 'message_stop' });
    sendSse(res, events, true);
  }

  // ---- OpenAI Responses (Codex, custom model provider with wire_api = "responses")
  function responses(res: http.ServerResponse, body: Json, rec: RecordedRequest): void {
    const s = step(arrayOf(body.input), openaiIsPrompt, openaiToolResults);
    rec.answer = `main:${s}`;
    const names = toolNames(body);
    const rid = `resp_contract_${seq}`;
    const events: Json[] = [{ type: 'response.created', response: { id: rid } }];
    const message = (id: string, text: string): Json => ({
      type: 'response.output_item.done',
      item: { type: 'message', role: 'assistant', id, content: [{ type: 'output_text', text }] },
    });
    const patchCall = (callId: string, patch: string): Json => {
      const tool = arrayOf(body.tools).find((t) => isRecord(t) && t.name === 'apply_patch');
      if (isRecord(tool) && tool.type === 'custom') {
        return { type: 'response.output_item.done', item: { type: 'custom_tool_call', id: `ctc_${callId}`, call_id: callId, name: 'apply_patch', input: patch } };
      }
      return {
        type: 'response.output_item.done',
        item: { type: 'function_call', id: `fc_${callId}`, call_id: callId, name: 'apply_patch', arguments: JSON.stringify({ input: patch }) },
      };
    };
    const scenario = scenarioOf(body);
    const report = scenario === 'report' ? reportAnswer(body, s) : undefined;
    const review = scenario === 'review' ? reviewTurn('openai', state.workdir, reviewAttempts, s) : undefined;
    if (review && 'call' in review && review.call.name === 'apply_patch') {
      events.push(patchCall(`call_contract_review_${s}`, String(review.call.input.patch)));
    } else if (review && 'call' in review) {
      const { name, args } = openaiShellCall(names, String(review.call.input.command));
      events.push({ type: 'response.output_item.done', item: { type: 'function_call', id: `fc_contract_review_${s}`, call_id: `call_contract_review_${s}`, name, arguments: JSON.stringify(args) } });
    } else if (review) {
      events.push(message('msg_contract_verdict', verdictText));
    } else if (report && 'call' in report) {
      const { name, namespace, input } = report.call;
      const item = { type: 'function_call', id: 'fc_contract_report', call_id: 'call_contract_report', name, ...(namespace ? { namespace } : {}), arguments: JSON.stringify(input) };
      events.push({ type: 'response.output_item.done', item });
    } else if (report && 'search' in report) {
      const item = { type: 'tool_search_call', id: 'ts_contract_report', call_id: 'call_contract_search', status: 'completed', execution: 'client', arguments: { query: report.search } };
      events.push({ type: 'response.output_item.done', item });
    } else if (report && 'text' in report) {
      events.push(message('msg_contract_report', report.text));
    } else if (s === 0) {
      events.push({
        type: 'response.output_item.done',
        item: { type: 'reasoning', id: 'rs_contract_1', summary: [{ type: 'summary_text', text: '**Planning**\n\nI will run a shell command.' }] },
      });
      events.push(message('msg_contract_1', INTRO_TEXT));
      const { name, args } = openaiShellCall(names, command);
      events.push({
        type: 'response.output_item.done',
        item: { type: 'function_call', id: 'fc_contract_shell', call_id: 'call_contract_shell', name, arguments: JSON.stringify(args) },
      });
    } else if (s === 1) {
      events.push(patchCall('call_contract_add', `*** Begin Patch\n*** Add File: ${fileName}\n+hello\n*** End Patch\n`));
    } else if (s === 2) {
      events.push(patchCall('call_contract_update', `*** Begin Patch\n*** Update File: ${fileName}\n@@\n-hello\n+hello world\n*** End Patch\n`));
    } else {
      const text = s < 0 ? PLAIN_TEXT : FINAL_TEXT;
      const cut = Math.floor(text.length / 2);
      events.push({ type: 'response.output_item.added', output_index: 0, item: { type: 'message', role: 'assistant', id: 'msg_contract_2', content: [] } });
      events.push({ type: 'response.output_text.delta', item_id: 'msg_contract_2', output_index: 0, content_index: 0, delta: text.slice(0, cut) });
      events.push({ type: 'response.output_text.delta', item_id: 'msg_contract_2', output_index: 0, content_index: 0, delta: text.slice(cut) });
      events.push(message('msg_contract_2', text));
    }
    events.push({
      type: 'response.completed',
      response: {
        id: rid,
        usage: {
          input_tokens: 2100,
          input_tokens_details: { cached_tokens: 1024 },
          output_tokens: 40,
          output_tokens_details: { reasoning_tokens: 12 },
          total_tokens: 2140,
        },
      },
    });
    sendSse(res, events, true);
  }

  // ---- Gemini
  function gemini(res: http.ServerResponse, body: Json, model: string, method: string, rec: RecordedRequest): void {
    const usage = (out: number): Json => ({
      promptTokenCount: 3000,
      candidatesTokenCount: out,
      totalTokenCount: 3000 + out,
      cachedContentTokenCount: 0,
      thoughtsTokenCount: 0,
    });
    if (method === 'countTokens') {
      rec.answer = 'countTokens';
      sendJson(res, 200, { totalTokens: 42 });
      return;
    }
    const chunk = (parts: Json[], out: number, finish: boolean, responseId: string): Json => ({
      candidates: [{ content: { role: 'model', parts }, ...(finish ? { finishReason: 'STOP' } : {}), index: 0 }],
      usageMetadata: usage(out),
      modelVersion: model,
      responseId,
    });
    if (method === 'generateContent' || toolNames(body).length === 0) {
      // Router, classifier, next-speaker and similar helper calls: one JSON text answers them all.
      rec.answer = 'side';
      const text = JSON.stringify({ reasoning: 'simple', model_choice: 'flash', complexity_score: 10, next_speaker: 'user' });
      const payload = chunk([{ text }], 10, true, `side_${seq}`);
      if (method === 'generateContent') sendJson(res, 200, payload);
      else sendSse(res, [payload], false);
      return;
    }
    const s = step(arrayOf(body.contents), geminiIsPrompt, geminiFunctionResponses);
    rec.answer = `main:${s}`;
    const rid = `r_contract_${seq}`;
    const chunks: Json[] = [];
    const scenario = scenarioOf(body);
    const report = scenario === 'report' ? reportAnswer(body, s) : undefined;
    const review = scenario === 'review' ? reviewTurn('gemini', state.workdir, reviewAttempts, s) : undefined;
    if (review && 'call' in review) {
      chunks.push(chunk([{ functionCall: { name: review.call.name, args: review.call.input } }], 20, true, rid));
    } else if (review) {
      chunks.push(chunk([{ text: verdictText }], 30, true, rid));
    } else if (report && 'call' in report) {
      chunks.push(chunk([{ functionCall: { name: report.call.name, args: report.call.input } }], 20, true, rid));
    } else if (report && 'text' in report) {
      chunks.push(chunk([{ text: report.text }], 12, true, rid));
    } else if (s === 0) {
      chunks.push(chunk([{ text: INTRO_TEXT }], 5, false, rid));
      chunks.push(chunk([{ functionCall: { name: 'run_shell_command', args: { command, description: 'Run the scripted command' } } }], 30, true, rid));
    } else if (s === 1) {
      chunks.push(chunk([{ functionCall: { name: 'write_file', args: { file_path: filePath(), content: WRITTEN } } }], 20, true, rid));
    } else if (s === 2) {
      chunks.push(
        chunk(
          [{ functionCall: { name: 'replace', args: { file_path: filePath(), old_string: 'hello', new_string: 'hello world', instruction: 'Change the greeting' } } }],
          20,
          true,
          rid,
        ),
      );
    } else {
      const text = s < 0 ? PLAIN_TEXT : FINAL_TEXT;
      const cut = Math.floor(text.length / 2);
      chunks.push(chunk([{ text: text.slice(0, cut) }], 5, false, rid));
      chunks.push(chunk([{ text: text.slice(cut) }], 12, true, rid));
    }
    sendSse(res, chunks, false);
  }

  function unauthorized(res: http.ServerResponse, vendor: MockVendor): void {
    if (vendor === 'anthropic') {
      sendJson(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
    } else if (vendor === 'openai') {
      sendJson(res, 401, {
        error: {
          message: 'Incorrect API key provided: sk-contract. You can find your API key at https://platform.openai.com/account/api-keys.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
    } else {
      sendJson(res, 401, { error: { code: 401, message: 'API key not valid. Please pass a valid API key.', status: 'UNAUTHENTICATED' } });
    }
  }

  function vendorOf(method: string, pathname: string): MockVendor {
    if (/\/v1\/messages(\/count_tokens)?$/.test(pathname)) return 'anthropic';
    if (/\/responses$/.test(pathname) || (method === 'GET' && /\/v1\/models$/.test(pathname))) return 'openai';
    if (/\/models\/[^/]+:\w+$/.test(pathname) || /\/v1beta\/models$/.test(pathname)) return 'gemini';
    return 'other';
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    seq += 1;
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body: unknown;
    try {
      body = raw ? (JSON.parse(raw) as unknown) : undefined;
    } catch {
      body = undefined;
    }
    const vendor = vendorOf(method, url.pathname);
    const rec: RecordedRequest = { vendor, method, url: req.url ?? '/', headers: req.headers, body, answer: '404' };
    requests.push(rec);
    const json: Json = isRecord(body) ? body : {};

    if (state.mode === 'http401' && method === 'POST' && vendor !== 'other') {
      rec.answer = '401';
      unauthorized(res, vendor);
      return;
    }
    if (method === 'POST' && url.pathname.endsWith('/v1/messages/count_tokens')) {
      rec.answer = 'countTokens';
      sendJson(res, 200, { input_tokens: 1200 });
      return;
    }
    if (method === 'POST' && url.pathname.endsWith('/v1/messages')) {
      anthropic(res, json, rec);
      return;
    }
    if (method === 'POST' && url.pathname.endsWith('/responses')) {
      responses(res, json, rec);
      return;
    }
    const g = /\/models\/([^/:]+):(\w+)$/.exec(url.pathname);
    if (method === 'POST' && g) {
      gemini(res, json, g[1] ?? 'unknown', g[2] ?? '', rec);
      return;
    }
    if (method === 'GET' && /\/models$/.test(url.pathname)) {
      rec.answer = 'models';
      sendJson(res, 200, { object: 'list', data: [], models: [] });
      return;
    }
    sendJson(res, 404, { error: { message: 'not implemented by the contract-test fake provider', path: url.pathname } });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        if (!res.headersSent) sendJson(res, 500, { error: { message: String(err) } });
        else res.end();
      }
    });
  });
  // WebSocket upgrades (Codex's built-in provider tries them first): refuse, so the CLI falls back to HTTPS.
  server.on('upgrade', (req, socket) => {
    seq += 1;
    requests.push({ vendor: 'other', method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: undefined, answer: 'upgrade-refused' });
    socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get scenario() {
      return state.scenario;
    },
    set scenario(v: MockScenario) {
      state.scenario = v;
    },
    get mode() {
      return state.mode;
    },
    set mode(v: MockMode) {
      state.mode = v;
    },
    get workdir() {
      return state.workdir;
    },
    set workdir(v: string) {
      state.workdir = v;
    },
    command,
    fileName,
    texts: { intro: INTRO_TEXT, final: FINAL_TEXT, text: PLAIN_TEXT, report: REPORT_TEXT },
    fileContents: { written: WRITTEN, edited: EDITED },
    reviewVerdict: verdict,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
