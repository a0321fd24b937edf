import { z } from 'zod';

/*
 * Codex 0.169 `exec --json` events (REPORT.md 2.2, codex-sdk ThreadEvent/ThreadItem). Loose objects;
 * unknown event and item types are tolerated by the normalizer.
 */

export const CodexThreadStartedSchema = z.looseObject({ type: z.literal('thread.started'), thread_id: z.string() });

export const CodexTurnCompletedSchema = z.looseObject({
  type: z.literal('turn.completed'),
  usage: z.looseObject({
    input_tokens: z.number(),
    cached_input_tokens: z.number().optional(),
    output_tokens: z.number(),
  }),
});

export const CodexTurnFailedSchema = z.looseObject({
  type: z.literal('turn.failed'),
  error: z.looseObject({ message: z.string() }),
});

/** Not terminal: transport retries ("Reconnecting... 2/5 (...)", "waiting for network"). */
export const CodexErrorSchema = z.looseObject({ type: z.literal('error'), message: z.string() });

export const CodexItemEventSchema = z.looseObject({
  type: z.enum(['item.started', 'item.updated', 'item.completed']),
  item: z.looseObject({ id: z.string(), type: z.string() }),
});
export type CodexItemEvent = z.infer<typeof CodexItemEventSchema>;

export const CodexTextItemSchema = z.looseObject({ id: z.string(), text: z.string() });

/** `exit_code` is null while the command runs (OBSERVED; the SDK type says optional). */
export const CodexCommandItemSchema = z.looseObject({
  id: z.string(),
  command: z.string(),
  aggregated_output: z.string().optional(),
  exit_code: z.number().nullable().optional(),
  status: z.string(),
});

export const CodexFileChangeItemSchema = z.looseObject({
  id: z.string(),
  changes: z.array(z.looseObject({ path: z.string(), kind: z.string() })),
  status: z.string(),
});

export const CodexMcpItemSchema = z.looseObject({
  id: z.string(),
  server: z.string(),
  tool: z.string(),
  status: z.string(),
  error: z.looseObject({ message: z.string() }).nullable().optional(),
});

export const CodexWebSearchItemSchema = z.looseObject({ id: z.string(), query: z.string().optional() });

/** Non-fatal warnings, e.g. "Falling back from WebSockets to HTTPS transport. ...". */
export const CodexErrorItemSchema = z.looseObject({ id: z.string(), message: z.string() });
