import { z } from 'zod';
import { ChannelRefusalSchema, ReportKindSchema } from '../../domain/index.js';

/*
 * The agent channel's wire format, between the orchestrator's MCP server (run by an agent CLI) and the
 * orchestrator: on a Unix domain socket, one newline-terminated JSON frame each way per connection. The
 * server sends one report with its worker's secret; the orchestrator answers, and closes.
 */

/** The variables of the MCP server's environment that name its worker's channel and secret. */
export const CHANNEL_SOCKET_VAR = 'ORCHESTRATE_CHANNEL';
export const CHANNEL_SECRET_VAR = 'ORCHESTRATE_CHANNEL_SECRET';

/** A report is previewed to 2000 characters before it is sent: even fully escaped it stays far below this. */
export const MAX_FRAME_BYTES = 16 * 1024;

export const ReportFrameSchema = z.strictObject({
  secret: z.string().min(1).max(256),
  kind: ReportKindSchema,
  text: z.string(),
});
/** What the MCP server sends: one report, with the secret its worker was given. */
export type ReportFrame = z.infer<typeof ReportFrameSchema>;

export const AnswerFrameSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true) }),
  z.strictObject({ ok: z.literal(false), refused: ChannelRefusalSchema, message: z.string() }),
]);
/** What the orchestrator answers: recorded, or refused and why. */
export type AnswerFrame = z.infer<typeof AnswerFrameSchema>;

// One frame as it travels: compact JSON and a newline.
export function encodeFrame(frame: ReportFrame | AnswerFrame): string {
  return `${JSON.stringify(frame)}\n`;
}

/** What a frame reader has after a chunk: the complete line (without its newline), too much, or not yet enough. */
export type FrameProgress = { line: string } | { oversized: true } | undefined;

/** Collects one newline-terminated frame from chunks, refusing to buffer more than the cap. */
export interface FrameReader {
  push(chunk: Buffer): FrameProgress;
}

// A reader for one frame of at most maxBytes bytes.
export function createFrameReader(maxBytes = MAX_FRAME_BYTES): FrameReader {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    push(chunk) {
      const end = chunk.indexOf(0x0a);
      const part = end < 0 ? chunk : chunk.subarray(0, end);
      size += part.length;
      if (size > maxBytes) return { oversized: true };
      chunks.push(part);
      return end < 0 ? undefined : { line: Buffer.concat(chunks).toString('utf8') };
    },
  };
}

// Parses a frame's JSON against its schema; undefined when it is not that frame.
export function parseFrame<T>(schema: z.ZodType<T>, line: string): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
