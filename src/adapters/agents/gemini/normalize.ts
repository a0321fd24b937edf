import type { AgentEventBody } from '../../../domain/index.js';
import type { StreamNormalizer } from '../types.js';
import { createUnparsed } from '../shared/json-line.js';
import { createMarkerScanner, type MarkerScanner } from '../shared/markers.js';
import { previewText } from '../shared/preview.js';
import { createRunState, type RunState } from '../shared/run-state.js';
import { safePush, withSchema, type LineHandler } from '../shared/safe-push.js';
import { matchGeminiFailure } from './classify.js';
import {
  GeminiErrorSchema,
  GeminiInitSchema,
  GeminiMessageSchema,
  GeminiResultSchema,
  GeminiToolResultSchema,
  GeminiToolUseSchema,
  type GeminiResult,
  type GeminiToolResult,
} from './schema.js';
import { getGeminiChangeKind, getGeminiToolKind, getGeminiToolPath } from './tools.js';

/** What one Gemini run remembers between lines. */
interface GeminiContext {
  run: RunState;
  calls: Map<string, { name: string; path: string | undefined }>;
  /** Markers may be split across assistant deltas. */
  markers: MarkerScanner;
  /** The assistant text since the last tool call: the final answer once the result arrives. */
  reply: string;
}

// Creates the normalizer for one `gemini -p --output-format stream-json` run.
export function createGeminiNormalizer(): StreamNormalizer {
  const run = createRunState({ label: 'gemini', endMarker: 'result', match: matchGeminiFailure });
  const context: GeminiContext = { run, calls: new Map(), markers: createMarkerScanner(), reply: '' };
  const handle: LineHandler = (type, value, line) => {
    switch (type) {
      case 'init':
        return withSchema(GeminiInitSchema, value, line, (data) =>
          run.started({ vendorSessionId: data.session_id, model: data.model }),
        );
      case 'message':
        return withSchema(GeminiMessageSchema, value, line, (data) => {
          if (data.role !== 'assistant') return []; // the echo of our own prompt
          context.reply += data.content;
          return [{ type: 'agent.message', text: data.content, delta: data.delta }, ...context.markers.feed(data.content)];
        });
      case 'tool_use':
        return withSchema(GeminiToolUseSchema, value, line, (data) => {
          const parameters = data.parameters ?? {};
          const path = getGeminiToolPath(parameters);
          const kind = getGeminiToolKind(data.tool_name);
          const command = kind === 'shell' && typeof parameters.command === 'string' ? parameters.command : undefined;
          context.calls.set(data.tool_id, { name: data.tool_name, path });
          const call: AgentEventBody = { type: 'agent.toolCall', callId: data.tool_id, tool: data.tool_name, kind, command, path };
          return [...endMessage(context), call];
        });
      case 'tool_result':
        return withSchema(GeminiToolResultSchema, value, line, (data) => handleToolResult(context, data));
      case 'error':
        return withSchema(GeminiErrorSchema, value, line, (data) => {
          const code = matchGeminiFailure(data.message, null)?.code;
          if (data.severity === 'error') return run.error(code ?? 'AGENT_CRASHED', data.message);
          return code ? run.notice(code, data.message) : [];
        });
      case 'result':
        return withSchema(GeminiResultSchema, value, line, (data) => handleResult(context, data));
      default:
        return [createUnparsed('unknownType', line)];
    }
  };
  return { push: (line) => safePush(line, handle), finish: run.finish };
}

// A tool call ends the assistant message before it: scan its unfinished last line, start a new reply.
function endMessage(context: GeminiContext): AgentEventBody[] {
  context.reply = '';
  return context.markers.flush();
}

/*
 * status is what Gemini reports. A shell command exiting non-zero still reports "success" (OBSERVED,
 * gemini-failing-command.jsonl) and the exit code is not in the stream, so ok stays true rather than guessed;
 * the output carries the command's stderr.
 */
function handleToolResult(context: GeminiContext, data: GeminiToolResult): AgentEventBody[] {
  const ok = data.status === 'success';
  const output = previewText(data.output ?? data.error?.message ?? '');
  const events: AgentEventBody[] = [{ type: 'agent.toolResult', callId: data.tool_id, ok, output }];
  const call = context.calls.get(data.tool_id);
  const change = call && getGeminiChangeKind(call.name);
  if (ok && change && call.path !== undefined) events.push({ type: 'agent.fileChange', path: call.path, kind: change });
  if (!ok && data.error) {
    // Only the tool-setup failures: a tool's own output may mention anything (a 401, a refused connection).
    const match = matchGeminiFailure(`${data.error.type ?? ''}\n${data.error.message}`, null);
    if (match?.code === 'AGENT_TOOL_UNAVAILABLE' || match?.code === 'AGENT_PERMISSION_DENIED') {
      events.push(...context.run.error(match.code, previewText(data.error.message)));
    }
  }
  return events;
}

function handleResult(context: GeminiContext, data: GeminiResult): AgentEventBody[] {
  const reply = context.reply;
  const summary = reply !== '' ? reply : (data.error?.message ?? '');
  const events = endMessage(context);
  if (data.stats) {
    const { input_tokens, output_tokens, cached } = data.stats;
    // input_tokens include the cached ones; Gemini reports no cost.
    events.push({ type: 'agent.usage', inputTokens: input_tokens, outputTokens: output_tokens, cachedTokens: cached, total: true });
  }
  const success = data.status === 'success';
  if (!success) {
    const text = data.error ? `${data.error.type ?? ''}\n${data.error.message}` : data.status;
    const code = matchGeminiFailure(text, null)?.code ?? 'AGENT_CRASHED';
    events.push(...context.run.error(code, data.error?.message ?? `result status ${data.status}`));
  }
  // The answer: the assistant text after the last tool call, which endMessage() has just reset.
  const output = success && reply !== '' ? reply : undefined;
  return [...events, ...context.run.end(success, summary, output)];
}
