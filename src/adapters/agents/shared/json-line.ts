import type { AgentEventOf } from '../../../domain/index.js';
import { byteLength, previewText } from './preview.js';

export type UnparsedEvent = AgentEventOf<'agent.unparsed'>;
export type UnparsedReason = UnparsedEvent['reason'];

/** A stdout line that is a JSON object with a string `type`, or the agent.unparsed it became. */
export type ParsedLine =
  | { ok: true; type: string; value: Record<string, unknown> }
  | { ok: false; event: UnparsedEvent };

// Builds agent.unparsed with a bounded preview, so one huge line never travels whole through the log.
export function createUnparsed(reason: UnparsedReason, line: string): UnparsedEvent {
  return { type: 'agent.unparsed', reason, line: previewText(line), bytes: byteLength(line) };
}

// Parses one stdout line; never throws. Valid JSON without a string `type` counts as a schema mismatch.
export function parseJsonLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, event: createUnparsed('invalidJson', line) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, event: createUnparsed('schema', line) };
  }
  const record = value as Record<string, unknown>;
  if (typeof record.type !== 'string') return { ok: false, event: createUnparsed('schema', line) };
  return { ok: true, type: record.type, value: record };
}

// True for lines that carry nothing (blank, or a stray carriage return): they are skipped, not reported.
export function isBlankLine(line: string): boolean {
  return line.trim() === '';
}
