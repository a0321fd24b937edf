import { describe, expect, it } from 'vitest';
import { classifyCodexFailure } from '../../../../src/adapters/agents/codex/classify.js';

describe('classifyCodexFailure', () => {
  // Real texts from the research runs (runs/codex-*.stderr, turn.failed and error events).
  it.each([
    ['Not inside a trusted directory and --skip-git-repo-check was not specified.', 1, 'AGENT_UNTRUSTED_DIRECTORY'],
    [
      'unexpected status 401 Unauthorized: Incorrect API key provided: sk-mock. You can find your API key at https://platform.openai.com/account/api-keys., url: http://127.0.0.1:18081/v1/responses',
      1,
      'AGENT_NOT_AUTHENTICATED',
    ],
    ['Reconnecting... waiting for network (Connection failed: error sending request)', null, 'AGENT_NETWORK'],
    [
      'Reconnecting... 2/5 (stream disconnected before completion: failed to lookup address information: Name does not resolve)',
      null,
      'AGENT_NETWORK',
    ],
    ['ERROR codex_api::endpoint::responses_websocket: failed to connect to Responses WebSocket stage=Unknown', 124, 'AGENT_NETWORK'],
    [
      'ERROR codex_core::tools::router: error=patch rejected: writing is blocked by read-only sandbox; rejected by user approval settings',
      0,
      'AGENT_PERMISSION_DENIED',
    ],
    ["error: unexpected argument '-a' found\n\n  tip: to pass '-a' as a value, use '-- -a'", 2, 'AGENT_INVALID_INVOCATION'],
    ["error: unexpected argument '--full-auto' found", 2, 'AGENT_INVALID_INVOCATION'],
    ["error: invalid value 'bogus' for '--sandbox <SANDBOX_MODE>'", 2, 'AGENT_INVALID_INVOCATION'],
    ['Reading prompt from stdin...\nNo prompt provided via stdin.', 1, 'AGENT_INVALID_INVOCATION'],
    [
      'Error: thread/resume: thread/resume failed: no rollout found for thread id 11111111-2222-3333-4444-555555555555 (code -32600)',
      1,
      'AGENT_INVALID_INVOCATION',
    ],
    ['Error: No such file or directory (os error 2)\n\nStack backtrace:', 1, 'AGENT_INVALID_INVOCATION'],
    ['unexpected status 429 Too Many Requests', 1, 'AGENT_RATE_LIMITED'],
    ['some usage message nobody anticipated', 2, 'AGENT_INVALID_INVOCATION'],
    ['Reading additional input from stdin...', 0, undefined],
    ['Falling back from WebSockets to HTTPS transport. unexpected status 404 Not Found: 39', null, undefined],
    ['', 143, undefined],
  ] as const)('classifies %j (exit %s) as %s', (text, exitCode, code) => {
    expect(classifyCodexFailure(text, exitCode)).toBe(code);
  });
});
