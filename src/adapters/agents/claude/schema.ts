import { z } from 'zod';

/*
 * Claude Code 2.1.197 `-p --output-format stream-json --verbose` lines (REPORT.md 1.2). Loose objects:
 * only the fields the normalizer reads are checked, everything else passes through untouched.
 */

export const ClaudeInitSchema = z.looseObject({
  type: z.literal('system'),
  subtype: z.literal('init'),
  session_id: z.string(),
  cwd: z.string().optional(),
  model: z.string().optional(),
});

/** One line per API retry; `error_status` is null for connection failures. */
export const ClaudeApiRetrySchema = z.looseObject({
  type: z.literal('system'),
  subtype: z.literal('api_retry'),
  attempt: z.number().optional(),
  max_retries: z.number().optional(),
  error_status: z.number().nullable().optional(),
  error: z.string().optional(),
});

/** SDK type, not observed in `-p` mode: a tool call denied by the permission rules. */
export const ClaudePermissionDeniedSchema = z.looseObject({
  type: z.literal('system'),
  subtype: z.literal('permission_denied'),
  tool_name: z.string(),
  tool_use_id: z.string().optional(),
  message: z.string().optional(),
});

const BlockSchema = z.looseObject({ type: z.string() });

export const ClaudeTextBlockSchema = z.looseObject({ type: z.literal('text'), text: z.string() });
export const ClaudeThinkingBlockSchema = z.looseObject({ type: z.literal('thinking'), thinking: z.string() });
export const ClaudeToolUseBlockSchema = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
});
export const ClaudeToolResultBlockSchema = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.unknown())]).optional(),
  is_error: z.boolean().optional(),
});

/** One content block per line; `error` is set on the CLI's own synthetic error messages. */
export const ClaudeAssistantSchema = z.looseObject({
  type: z.literal('assistant'),
  message: z.looseObject({ model: z.string().optional(), content: z.array(BlockSchema) }),
  error: z.string().optional(),
});

/** Tool results, and replays of stdin messages (string content). */
export const ClaudeUserSchema = z.looseObject({
  type: z.literal('user'),
  message: z.looseObject({ content: z.union([z.string(), z.array(BlockSchema)]) }),
  tool_use_result: z.unknown().optional(),
  isReplay: z.boolean().optional(),
});

export const ClaudeResultSchema = z.looseObject({
  type: z.literal('result'),
  subtype: z.string(),
  is_error: z.boolean(),
  result: z.string().optional(),
  /** With `--json-schema`: the object the model handed to the CLI's StructuredOutput tool. */
  structured_output: z.unknown().optional(),
  errors: z.array(z.string()).optional(),
  api_error_status: z.number().nullable().optional(),
  total_cost_usd: z.number().optional(),
  usage: z
    .looseObject({
      input_tokens: z.number(),
      output_tokens: z.number(),
      cache_creation_input_tokens: z.number().optional(),
      cache_read_input_tokens: z.number().optional(),
    })
    .optional(),
  permission_denials: z
    .array(z.looseObject({ tool_name: z.string(), tool_use_id: z.string().optional(), tool_input: z.unknown() }))
    .optional(),
});
export type ClaudeResult = z.infer<typeof ClaudeResultSchema>;

/** Only with `--permission-prompt-tool stdio`: the CLI asks its host to approve a tool call. */
export const ClaudeControlRequestSchema = z.looseObject({
  type: z.literal('control_request'),
  request_id: z.string(),
  request: z.looseObject({
    subtype: z.string(),
    tool_name: z.string().optional(),
    tool_use_id: z.string().optional(),
    input: z.record(z.string(), z.unknown()).optional(),
  }),
});
