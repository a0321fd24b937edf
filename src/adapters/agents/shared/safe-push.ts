import type { z } from 'zod';
import type { AgentEventBody } from '../../../domain/index.js';
import { createUnparsed, isBlankLine, parseJsonLine } from './json-line.js';

/** Handles one parsed line; may throw on a shape nobody anticipated, which safePush turns into agent.unparsed. */
export type LineHandler = (type: string, value: Record<string, unknown>, line: string) => AgentEventBody[];

// Runs a vendor's line handler so that push() never throws: bad JSON, odd shapes and bugs become agent.unparsed.
export function safePush(line: string, handle: LineHandler): AgentEventBody[] {
  if (isBlankLine(line)) return [];
  const parsed = parseJsonLine(line);
  if (!parsed.ok) return [parsed.event];
  try {
    return handle(parsed.type, parsed.value, line);
  } catch {
    return [createUnparsed('schema', line)];
  }
}

// Validates a line against a vendor schema and hands the data on; a mismatch becomes agent.unparsed (schema).
export function withSchema<T>(
  schema: z.ZodType<T>,
  value: unknown,
  line: string,
  handle: (data: T) => AgentEventBody[],
): AgentEventBody[] {
  const result = schema.safeParse(value);
  return result.success ? handle(result.data) : [createUnparsed('schema', line)];
}
