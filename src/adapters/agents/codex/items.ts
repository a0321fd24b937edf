import type { z } from 'zod';
import type { AgentEventBody, AgentEventOf } from '../../../domain/index.js';
import { createUnparsed } from '../shared/json-line.js';
import { detectMarkers } from '../shared/markers.js';
import { previewText } from '../shared/preview.js';
import type { RunState } from '../shared/run-state.js';
import { withSchema } from '../shared/safe-push.js';
import { matchCodexFailure } from './classify.js';
import {
  CodexCommandItemSchema,
  CodexErrorItemSchema,
  CodexFileChangeItemSchema,
  CodexMcpItemSchema,
  CodexTextItemSchema,
  CodexWebSearchItemSchema,
  type CodexItemEvent,
} from './schema.js';

/** What one Codex run remembers between lines. */
export interface CodexContext {
  run: RunState;
  /** Item ids already reported as tool calls (file_change and web_search may arrive only as completed). */
  calls: Set<string>;
  /** The last agent_message: Codex's final answer, used as the result summary. */
  lastMessage: string;
}

type ChangeKind = AgentEventOf<'agent.fileChange'>['kind'];
const CHANGE_KINDS: Readonly<Record<string, ChangeKind>> = { add: 'add', update: 'update', delete: 'delete' };

// One item.started / item.updated / item.completed line.
export function handleItem(context: CodexContext, event: CodexItemEvent, line: string): AgentEventBody[] {
  const done = event.type === 'item.completed';
  const parse = <T>(schema: z.ZodType<T>, handle: (data: T) => AgentEventBody[]) => withSchema(schema, event.item, line, handle);
  switch (event.item.type) {
    case 'agent_message':
      return done ? parse(CodexTextItemSchema, (data) => handleMessage(context, data.text)) : [];
    case 'reasoning':
      return done ? parse(CodexTextItemSchema, (data) => [{ type: 'agent.reasoning', text: data.text }]) : [];
    case 'command_execution':
      return parse(CodexCommandItemSchema, (data) => {
        const call = toolCall(context, data.id, { tool: 'command_execution', kind: 'shell', command: data.command });
        if (!done) return call;
        // A non-zero exit gives status "failed"; "declined" is a refused approval.
        const ok = data.status === 'completed' && (data.exit_code ?? 0) === 0;
        const denied = data.status === 'declined' ? context.run.error('AGENT_PERMISSION_DENIED', `declined: ${data.command}`) : [];
        const output = previewText(data.aggregated_output ?? '');
        return [...call, { type: 'agent.toolResult', callId: data.id, ok, output }, ...denied];
      });
    case 'file_change':
      return parse(CodexFileChangeItemSchema, (data) => {
        const kind = data.changes.every((change) => change.kind === 'add') ? 'write' : 'edit';
        const call = toolCall(context, data.id, { tool: 'file_change', kind, path: data.changes[0]?.path });
        if (!done) return call;
        const ok = data.status === 'completed';
        const changes: AgentEventBody[] = ok
          ? data.changes.map((change) => ({ type: 'agent.fileChange', path: change.path, kind: CHANGE_KINDS[change.kind] ?? 'unknown' }))
          : [];
        return [...call, { type: 'agent.toolResult', callId: data.id, ok }, ...changes];
      });
    case 'mcp_tool_call':
      return parse(CodexMcpItemSchema, (data) => {
        const call = toolCall(context, data.id, { tool: `${data.server}.${data.tool}`, kind: 'mcp' });
        if (!done) return call;
        const ok = data.status === 'completed' && !data.error;
        return [...call, { type: 'agent.toolResult', callId: data.id, ok, output: data.error?.message }];
      });
    case 'web_search':
      return parse(CodexWebSearchItemSchema, (data) => {
        const call = toolCall(context, data.id, { tool: 'web_search', kind: 'web' });
        return done ? [...call, { type: 'agent.toolResult', callId: data.id, ok: true }] : call;
      });
    case 'error':
      // Warnings ("Falling back from WebSockets to HTTPS transport"): reported only when they name a known cause.
      return parse(CodexErrorItemSchema, (data) => {
        const match = matchCodexFailure(data.message, null);
        return match ? context.run.notice(match.code, data.message) : [];
      });
    case 'todo_list': // the plan is bookkeeping, not progress the machines decide on
      return [];
    default:
      return [createUnparsed('unknownType', line)];
  }
}

function handleMessage(context: CodexContext, text: string): AgentEventBody[] {
  context.lastMessage = text;
  return [{ type: 'agent.message', text }, ...detectMarkers(text)];
}

// agent.toolCall the first time an item id is seen; nothing for its later lines.
function toolCall(
  context: CodexContext,
  callId: string,
  call: Omit<AgentEventOf<'agent.toolCall'>, 'type' | 'callId'>,
): AgentEventBody[] {
  if (context.calls.has(callId)) return [];
  context.calls.add(callId);
  return [{ type: 'agent.toolCall', callId, ...call }];
}
