import type { z } from 'zod';
import type { AgentEventBody } from '../../../domain/index.js';
import { detectMarkers } from '../shared/markers.js';
import { previewText } from '../shared/preview.js';
import type { RunState } from '../shared/run-state.js';
import { isClaudePermissionDenial, matchClaudeFailure } from './classify.js';
import {
  ClaudeTextBlockSchema,
  ClaudeThinkingBlockSchema,
  ClaudeToolResultBlockSchema,
  ClaudeToolUseBlockSchema,
  type ClaudeAssistantSchema,
  type ClaudeUserSchema,
} from './schema.js';
import { getClaudeChangeKind, getClaudeToolCommand, getClaudeToolKind, getClaudeToolPath, getToolResultText } from './tools.js';

/** What one Claude run remembers between lines. */
export interface ClaudeContext {
  run: RunState;
  /** Tool calls by id, so a result can be matched to its tool and file. */
  calls: Map<string, { name: string; path: string | undefined }>;
  /** Tool calls whose denial needs no report at the result: already reported, or left to the host to approve. */
  deniedCalls: Set<string>;
  /** The `error` of the CLI's synthetic assistant message, e.g. "authentication_failed". */
  assistantError: string | undefined;
}

// One assistant line: a text, thinking or tool_use block (Claude prints one block per line).
export function handleAssistant(context: ClaudeContext, data: z.infer<typeof ClaudeAssistantSchema>): AgentEventBody[] {
  if (data.error !== undefined) {
    context.assistantError = data.error;
    const match = matchClaudeFailure(data.error, null);
    if (match) context.run.hint(match.code);
  }
  return data.message.content.flatMap((block) => handleBlock(context, block));
}

function handleBlock(context: ClaudeContext, block: unknown): AgentEventBody[] {
  const text = ClaudeTextBlockSchema.safeParse(block);
  if (text.success) return [{ type: 'agent.message', text: text.data.text }, ...detectMarkers(text.data.text)];
  const thinking = ClaudeThinkingBlockSchema.safeParse(block);
  if (thinking.success) return thinking.data.thinking === '' ? [] : [{ type: 'agent.reasoning', text: thinking.data.thinking }];
  const tool = ClaudeToolUseBlockSchema.safeParse(block);
  if (!tool.success) return []; // redacted_thinking, server tool blocks: nothing the orchestrator acts on
  const { id, name, input } = tool.data;
  const path = getClaudeToolPath(input);
  context.calls.set(id, { name, path });
  const command = getClaudeToolCommand(name, input);
  return [{ type: 'agent.toolCall', callId: id, tool: name, kind: getClaudeToolKind(name), command, path }];
}

// One user line: tool results (replays of our own stdin messages carry string content and are skipped).
export function handleUser(context: ClaudeContext, data: z.infer<typeof ClaudeUserSchema>): AgentEventBody[] {
  if (typeof data.message.content === 'string') return [];
  return data.message.content.flatMap((block) => {
    const result = ClaudeToolResultBlockSchema.safeParse(block);
    return result.success ? handleToolResult(context, result.data, data.tool_use_result) : [];
  });
}

function handleToolResult(
  context: ClaudeContext,
  block: z.infer<typeof ClaudeToolResultBlockSchema>,
  toolUseResult: unknown,
): AgentEventBody[] {
  const ok = block.is_error !== true;
  const text = getToolResultText(block.content);
  const events: AgentEventBody[] = [{ type: 'agent.toolResult', callId: block.tool_use_id, ok, output: previewText(text) }];
  const call = context.calls.get(block.tool_use_id);
  if (ok && call?.path !== undefined) {
    const kind = getClaudeChangeKind(call.name, toolUseResult);
    if (kind !== undefined) events.push({ type: 'agent.fileChange', path: call.path, kind });
  }
  if (!ok && isClaudePermissionDenial(text)) {
    context.deniedCalls.add(block.tool_use_id);
    events.push(...context.run.error('AGENT_PERMISSION_DENIED', previewText(text)));
  }
  return events;
}
