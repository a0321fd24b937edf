import type { LogEntry } from '../../../src/domain/index.js';

/** What a line of live output is: the agent's words, its thinking, a command, a command's output, a problem. */
export type OutputKind = 'text' | 'reasoning' | 'command' | 'result' | 'error';

export interface OutputLine {
  kind: OutputKind;
  text: string;
}

/** A worker's recent output: at most `maxLines` lines of at most `maxLineChars` characters. */
export interface OutputBuffer {
  lines: OutputLine[];
  maxLines: number;
  maxLineChars: number;
  /** Lines dropped from the front since the start. */
  dropped: number;
  /** True while the last line is a message still being streamed in deltas. */
  open: boolean;
}

const RESULT_PREVIEW_LINES = 4;

export function createOutputBuffer(maxLines = 200, maxLineChars = 1000): OutputBuffer {
  return { lines: [], maxLines, maxLineChars, dropped: 0, open: false };
}

// Adds what an entry shows in a worker's live output; returns false when it shows nothing there.
// Message deltas continue the open line, so streamed text reads as text, not as one token a row.
export function appendOutput(buffer: OutputBuffer, entry: LogEntry): boolean {
  switch (entry.type) {
    case 'agent.message':
      if (entry.delta && buffer.open) continueLine(buffer, entry.text);
      else pushText(buffer, 'text', entry.text);
      buffer.open = entry.delta === true;
      return true;
    case 'agent.reasoning':
      return close(buffer, pushText(buffer, 'reasoning', entry.text));
    case 'agent.toolCall':
      return close(buffer, pushText(buffer, 'command', entry.command ?? `${entry.tool}${entry.path ? ` ${entry.path}` : ''}`));
    case 'agent.toolResult':
      if (!entry.output) return close(buffer, entry.ok ? false : pushText(buffer, 'error', 'the command failed'));
      return close(buffer, pushText(buffer, entry.ok ? 'result' : 'error', entry.output.split('\n').slice(0, RESULT_PREVIEW_LINES).join('\n')));
    case 'agent.error':
      return close(buffer, pushText(buffer, 'error', `${entry.code}: ${entry.message}`));
    case 'agent.result':
      // Agents often end with a message that is their result's summary: show it once.
      if (buffer.lines.at(-1)?.text === entry.summary.split('\n').at(-1)) return close(buffer, false);
      return close(buffer, pushText(buffer, entry.success ? 'text' : 'error', entry.summary));
    default:
      return false;
  }
}

function close(buffer: OutputBuffer, shown: boolean): boolean {
  buffer.open = false;
  return shown;
}

function pushText(buffer: OutputBuffer, kind: OutputKind, text: string): true {
  for (const line of text.split('\n')) pushLine(buffer, { kind, text: cut(buffer, line) });
  return true;
}

function continueLine(buffer: OutputBuffer, text: string): void {
  const [first = '', ...rest] = text.split('\n');
  const last = buffer.lines.at(-1);
  if (last) last.text = cut(buffer, last.text + first);
  for (const line of rest) pushLine(buffer, { kind: 'text', text: cut(buffer, line) });
}

function pushLine(buffer: OutputBuffer, line: OutputLine): void {
  buffer.lines.push(line);
  if (buffer.lines.length <= buffer.maxLines) return;
  const excess = buffer.lines.length - buffer.maxLines;
  buffer.lines.splice(0, excess);
  buffer.dropped += excess;
}

function cut(buffer: OutputBuffer, text: string): string {
  return text.length <= buffer.maxLineChars ? text : `${text.slice(0, buffer.maxLineChars - 1)}…`;
}
