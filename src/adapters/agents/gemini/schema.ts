import { z } from 'zod';

/*
 * Gemini CLI 0.61 `-p --output-format stream-json` events (REPORT.md 3.2, JsonStreamEventType in the bundle).
 * Loose objects; unknown event types are tolerated by the normalizer.
 */

/** `model` is the -m value, or "auto". There is no cwd: the process cwd is the workspace. */
export const GeminiInitSchema = z.looseObject({ type: z.literal('init'), session_id: z.string(), model: z.string().optional() });

/** role "user" echoes the prompt; role "assistant" chunks carry delta:true and must be concatenated. */
export const GeminiMessageSchema = z.looseObject({
  type: z.literal('message'),
  role: z.string(),
  content: z.string(),
  delta: z.boolean().optional(),
});

export const GeminiToolUseSchema = z.looseObject({
  type: z.literal('tool_use'),
  tool_name: z.string(),
  tool_id: z.string(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

/** `output` is absent for write_file and replace; `error.type` e.g. "tool_not_registered", "invalid_tool_params". */
export const GeminiToolResultSchema = z.looseObject({
  type: z.literal('tool_result'),
  tool_id: z.string(),
  status: z.string(),
  output: z.string().optional(),
  error: z.looseObject({ type: z.string().optional(), message: z.string() }).optional(),
});
export type GeminiToolResult = z.infer<typeof GeminiToolResultSchema>;

/** SOURCE only: loop detected, max turns, blocked agent, invalid stream. */
export const GeminiErrorSchema = z.looseObject({
  type: z.literal('error'),
  severity: z.string().optional(),
  message: z.string(),
});

export const GeminiResultSchema = z.looseObject({
  type: z.literal('result'),
  status: z.string(),
  error: z.looseObject({ type: z.string().optional(), message: z.string() }).optional(),
  stats: z
    .looseObject({ input_tokens: z.number(), output_tokens: z.number(), cached: z.number().optional() })
    .optional(),
});
export type GeminiResult = z.infer<typeof GeminiResultSchema>;
