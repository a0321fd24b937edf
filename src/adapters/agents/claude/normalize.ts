import type { AgentEventBody, FailureCode } from '../../../domain/index.js';
import type { StreamNormalizer } from '../types.js';
import { createUnparsed } from '../shared/json-line.js';
import { createRunState } from '../shared/run-state.js';
import { safePush, withSchema, type LineHandler } from '../shared/safe-push.js';
import { matchClaudeFailure } from './classify.js';
import { handleAssistant, handleUser, type ClaudeContext } from './content.js';
import {
  ClaudeApiRetrySchema,
  ClaudeAssistantSchema,
  ClaudeControlRequestSchema,
  ClaudeInitSchema,
  ClaudePermissionDeniedSchema,
  ClaudeResultSchema,
  ClaudeUserSchema,
  type ClaudeResult,
} from './schema.js';
import { getClaudeToolCommand, getClaudeToolPath } from './tools.js';

// Creates the normalizer for one `claude -p --output-format stream-json --verbose` run.
export function createClaudeNormalizer(): StreamNormalizer {
  const context: ClaudeContext = {
    run: createRunState({ label: 'claude', endMarker: 'result', match: matchClaudeFailure }),
    calls: new Map(),
    deniedCalls: new Set(),
    assistantError: undefined,
  };
  const handle: LineHandler = (type, value, line) => {
    switch (type) {
      case 'system':
        return handleSystem(context, value, line);
      case 'assistant':
        return withSchema(ClaudeAssistantSchema, value, line, (data) => handleAssistant(context, data));
      case 'user':
        return withSchema(ClaudeUserSchema, value, line, (data) => handleUser(context, data));
      case 'result':
        return withSchema(ClaudeResultSchema, value, line, (data) => handleResult(context, data));
      case 'control_request':
        return withSchema(ClaudeControlRequestSchema, value, line, (data) => {
          const { subtype, tool_name: tool, tool_use_id: callId, input = {} } = data.request;
          if (subtype !== 'can_use_tool' || tool === undefined) return [];
          // The host decides this one; a denial it gives is not the CLI's misconfiguration.
          if (callId !== undefined) context.deniedCalls.add(callId);
          const command = getClaudeToolCommand(tool, input);
          return [{ type: 'agent.approvalRequest', callId, tool, command, path: getClaudeToolPath(input) }];
        });
      case 'stream_event': // token deltas repeat what the assistant lines carry whole
      case 'control_response': // answers to requests the host sent
        return [];
      default:
        return [createUnparsed('unknownType', line)];
    }
  };
  return { push: (line) => safePush(line, handle), finish: context.run.finish };
}

function handleSystem(context: ClaudeContext, value: unknown, line: string): AgentEventBody[] {
  const { run } = context;
  switch ((value as { subtype?: unknown }).subtype) {
    case 'init':
      return withSchema(ClaudeInitSchema, value, line, (data) =>
        run.started({ vendorSessionId: data.session_id, model: data.model, cwd: data.cwd }),
      );
    case 'api_retry':
      // Up to 10 retries over minutes; report the cause once and let the idle deadline decide.
      return withSchema(ClaudeApiRetrySchema, value, line, (data) => {
        const cause = `${data.error ?? 'unknown'} (status ${data.error_status ?? 'none'})`;
        const code = matchClaudeFailure(cause, null)?.code ?? 'AGENT_NETWORK';
        return run.notice(code, `API request failed, retry ${data.attempt ?? '?'} of ${data.max_retries ?? '?'}: ${cause}`);
      });
    case 'permission_denied':
      return withSchema(ClaudePermissionDeniedSchema, value, line, (data) => {
        if (data.tool_use_id !== undefined) context.deniedCalls.add(data.tool_use_id);
        return run.error('AGENT_PERMISSION_DENIED', data.message ?? `${data.tool_name} was denied`);
      });
    default:
      return []; // status, compact_boundary, hook and task notices: informational
  }
}

// The result line: usage with cost, the error of a failed run, unreported denials, then agent.result.
function handleResult(context: ClaudeContext, data: ClaudeResult): AgentEventBody[] {
  const events: AgentEventBody[] = [];
  if (data.usage) {
    const { input_tokens, output_tokens, cache_creation_input_tokens = 0, cache_read_input_tokens = 0 } = data.usage;
    events.push({
      type: 'agent.usage',
      // Anthropic counts cached input apart from input_tokens; the event's inputTokens include it.
      inputTokens: input_tokens + cache_creation_input_tokens + cache_read_input_tokens,
      outputTokens: output_tokens,
      cachedTokens: cache_read_input_tokens,
      costUsd: data.total_cost_usd,
      total: true,
    });
  }
  const summary = data.result ?? data.errors?.join('; ') ?? data.subtype;
  // Auth and connection failures report subtype "success" with is_error true: is_error decides.
  if (data.is_error) events.push(...context.run.error(getResultCode(context, data), summary));
  for (const denial of data.permission_denials ?? []) {
    if (denial.tool_use_id !== undefined && context.deniedCalls.has(denial.tool_use_id)) continue;
    const input = (denial.tool_input ?? {}) as Record<string, unknown>;
    const target = getClaudeToolPath(input) ?? getClaudeToolCommand(denial.tool_name, input);
    events.push(...context.run.error('AGENT_PERMISSION_DENIED', `${denial.tool_name} was denied${target ? `: ${target}` : ''}`));
  }
  // The answer: the structured value when --json-schema made the model give one, else the final text.
  const output = data.is_error ? undefined : (data.structured_output ?? data.result);
  return [...events, ...context.run.end(!data.is_error, summary, output)];
}

function getResultCode(context: ClaudeContext, data: ClaudeResult): FailureCode {
  const status = data.api_error_status ?? undefined;
  const text = [data.result, ...(data.errors ?? []), data.subtype, context.assistantError, status && `status ${status}`]
    .filter((part) => typeof part === 'string' && part !== '')
    .join('\n');
  return matchClaudeFailure(text, null)?.code ?? 'AGENT_CRASHED';
}
