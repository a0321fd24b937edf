import type { Invocation } from './invocation.js';
import type { McpOutcome } from './mcp-call.js';
import type { FailKind } from './scenario.js';
import type { LineSink } from './sink.js';

// What a shell step really produced.
export interface ShellOutcome {
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  combined: string;
  exitCode: number;
  timedOut: boolean;
  timeoutMs: number;
}

// A file step: `abs` is the absolute path inside the working directory; `existed` is known before the write.
export type FileChange =
  | { op: 'write'; abs: string; content: string; existed: boolean }
  | { op: 'edit'; abs: string; find: string; replace: string };

// What a file step did: the content before (null when the file did not exist) and after, or why it failed.
export type FileOutcome =
  | { ok: true; before: string | null; after: string }
  | { ok: false; reason: 'missing' | 'notFound' | 'io'; message: string };

// Token and cost totals, reported in the terminal event.
export interface Totals {
  input: number;
  output: number;
  costUsd: number;
  toolCalls: number;
}

// How a `fail` step ends: keep going, exit with a code, or retry forever (Codex without a network).
export type FailOutcome =
  | { action: 'continue' }
  | { action: 'exit'; code: number }
  | { action: 'retryForever'; firstAttempt: number };

// Everything a vendor writer needs: the parsed invocation, the session id and both output streams.
export interface WriterContext {
  inv: Invocation;
  sessionId: string;
  out: LineSink;
  err: LineSink;
  startedAt: number;
}

// Maps abstract sim actions to one vendor's stdout (and stderr) lines.
export interface VendorWriter {
  /** The lines a run starts with (init, thread.started, ...). */
  begin(): void;
  say(text: string): void;
  think(text: string): void;
  /** A reviewer's final answer: the vendor's final message (Claude: StructuredOutput under --json-schema). */
  answer(value: unknown): void;
  shellStart(command: string): string;
  shellEnd(callId: string, command: string, outcome: ShellOutcome): void;
  fileStart(change: FileChange): string;
  fileEnd(callId: string, change: FileChange, outcome: FileOutcome): void;
  /** A call of an MCP server's tool, as the vendor prints it, and its result. */
  mcpStart(server: string, tool: string, args: Record<string, unknown>): string;
  mcpEnd(callId: string, server: string, tool: string, args: Record<string, unknown>, outcome: McpOutcome): void;
  /** One retry notice of a run that never gives up. */
  retryNotice(attempt: number): void;
  /** The text before and after the filler of a valid assistant-message line. */
  hugeLineFrame(): [string, string];
  /** True when this failure happens before the CLI prints anything on stdout. */
  failsAtStartup(kind: FailKind): boolean;
  /** `path`: where a permission failure writes (relative to cwd); without it each vendor denies its usual path. */
  fail(kind: FailKind, totals: Totals, path?: string): FailOutcome;
  finish(totals: Totals): void;
}

// Splits a stringified line around a placeholder so a filler can be streamed between the halves.
export function frameAround(line: string, placeholder: string): [string, string] {
  const at = line.indexOf(placeholder);
  return [line.slice(0, at), line.slice(at + placeholder.length)];
}

// An answer as the text of a final message: a string as it is, any other value as JSON.
export function answerText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// The placeholder text used by hugeLineFrame implementations.
export const FILLER = '@@SIM_FILLER@@';
