import type { AgentEventBody, FailureCode } from '../../../domain/index.js';
import type { StreamNormalizer } from '../types.js';
import { createUnparsed } from '../shared/json-line.js';
import { createRunState } from '../shared/run-state.js';
import { safePush, withSchema, type LineHandler } from '../shared/safe-push.js';
import { findSandboxRejection, matchCodexFailure } from './classify.js';
import { handleItem, type CodexContext } from './items.js';
import {
  CodexErrorSchema,
  CodexItemEventSchema,
  CodexThreadStartedSchema,
  CodexTurnCompletedSchema,
  CodexTurnFailedSchema,
} from './schema.js';

/** Transport retries: Codex keeps retrying, forever when the network is gone (REPORT.md 2.3). */
const RECONNECTING = /^Reconnecting\.\.\./;

// Creates the normalizer for one `codex exec --json` run.
export function createCodexNormalizer(): StreamNormalizer {
  const run = createRunState({ label: 'codex', endMarker: 'turn.completed/turn.failed', match: matchCodexFailure });
  const context: CodexContext = { run, calls: new Set(), lastMessage: '' };
  const handle: LineHandler = (type, value, line) => {
    switch (type) {
      case 'thread.started':
        return withSchema(CodexThreadStartedSchema, value, line, (data) => run.started({ vendorSessionId: data.thread_id }));
      case 'turn.started':
        return [];
      case 'item.started':
      case 'item.updated':
      case 'item.completed':
        return withSchema(CodexItemEventSchema, value, line, (data) => handleItem(context, data, line));
      case 'turn.completed':
        return withSchema(CodexTurnCompletedSchema, value, line, ({ usage }) => [
          // One turn per exec, so the turn's usage is the run's total. input_tokens include the cached ones.
          {
            type: 'agent.usage',
            inputTokens: usage.input_tokens,
            outputTokens: usage.output_tokens,
            cachedTokens: usage.cached_input_tokens,
            total: true,
          },
          ...run.end(true, context.lastMessage, context.lastMessage === '' ? undefined : context.lastMessage),
        ]);
      case 'turn.failed':
        return withSchema(CodexTurnFailedSchema, value, line, ({ error }) => [
          ...run.error(matchCodexFailure(error.message, null)?.code ?? 'AGENT_CRASHED', error.message),
          ...run.end(false, error.message),
        ]);
      case 'error':
        return withSchema(CodexErrorSchema, value, line, ({ message }) => handleError(context, message));
      default:
        return [createUnparsed('unknownType', line)];
    }
  };
  return {
    push: (line) => safePush(line, handle),
    finish(exit, stderrTail) {
      const events = run.finish(exit, stderrTail);
      // A patch the sandbox refused leaves no trace in the JSONL, and the turn still completes.
      const rejection = findSandboxRejection(stderrTail);
      return rejection ? [...run.error(rejection.code, rejection.text), ...events] : events;
    },
  };
}

// Retry notices are not terminal: one notice per cause and run, then the idle deadline decides. The
// cause is in the notice ("Reconnecting... 2/5 (unexpected status 401 Unauthorized)"): a retried 401
// is an authentication failure, not a network one. Other errors precede turn.failed.
function handleError(context: CodexContext, message: string): AgentEventBody[] {
  if (RECONNECTING.test(message)) return context.run.notice(retryCause(message), message);
  return context.run.error(matchCodexFailure(message, null)?.code ?? 'AGENT_CRASHED', message);
}

function retryCause(message: string): FailureCode {
  const code = matchCodexFailure(message, null)?.code;
  return code === 'AGENT_NOT_AUTHENTICATED' || code === 'AGENT_RATE_LIMITED' ? code : 'AGENT_NETWORK';
}
