import { describe, expect, it } from 'vitest';
import { classifyClaudeFailure, isClaudePermissionDenial } from '../../../../src/adapters/agents/claude/classify.js';

describe('classifyClaudeFailure', () => {
  // Real texts from the research runs (runs/claude-*.stderr and result lines) unless marked otherwise.
  it.each([
    ['Not logged in · Please run /login', 1, 'AGENT_NOT_AUTHENTICATED'],
    ['Invalid API key · Fix external API key', 1, 'AGENT_NOT_AUTHENTICATED'],
    ['authentication_failed', null, 'AGENT_NOT_AUTHENTICATED'],
    ['success\nstatus 401', 1, 'AGENT_NOT_AUTHENTICATED'],
    ['API Error: Unable to connect to API (ConnectionRefused)', 1, 'AGENT_NETWORK'],
    ['server_error', null, 'AGENT_NETWORK'],
    ['unknown (status none)', null, undefined],
    ['rate_limit (status 429)', null, 'AGENT_RATE_LIMITED'],
    ['overloaded (status 529)', null, 'AGENT_RATE_LIMITED'],
    ['Reached maximum number of turns (1)', 1, 'AGENT_TURN_LIMIT'],
    ['error_max_turns', 1, 'AGENT_TURN_LIMIT'],
    ['Reached maximum budget ($0.001)', 1, 'AGENT_BUDGET'],
    ['error_max_budget_usd', 1, 'AGENT_BUDGET'],
    ["Claude requested permissions to write to /x/hello.txt, but you haven't granted it yet.", 0, 'AGENT_PERMISSION_DENIED'],
    ['No conversation found with session ID: 11111111-2222-3333-4444-555555555555', 1, 'AGENT_INVALID_INVOCATION'],
    // sandbox.failIfUnavailable without bubblewrap and socat (result errors[0], then stderr).
    [
      'Sandbox required but unavailable: sandbox is enabled but dependencies are missing: bubblewrap (bwrap) not installed, socat not installed · install missing tools (e.g. apt install bubblewrap socat) or see https://code.claude.com/docs/en/sandboxing. Set sandbox.failIfUnavailable=false to allow unsandboxed execution.',
      1,
      'AGENT_SANDBOX_UNAVAILABLE',
    ],
    ['  sandbox.failIfUnavailable is set — refusing to start without a working sandbox.', 1, 'AGENT_SANDBOX_UNAVAILABLE'],
    ['Error: When using --print, --output-format=stream-json requires --verbose', 1, 'AGENT_INVALID_INVOCATION'],
    ['Error: --input-format=stream-json requires output-format=stream-json.', 1, 'AGENT_INVALID_INVOCATION'],
    [
      "error: option '--permission-mode <mode>' argument 'yolo' is invalid. Allowed choices are acceptEdits, auto, bypassPermissions, default, dontAsk, plan.",
      1,
      'AGENT_INVALID_INVOCATION',
    ],
    ['--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons', 1, 'AGENT_INVALID_INVOCATION'],
    ['Error: Input must be provided either through stdin or as a prompt argument when using --print', 1, 'AGENT_INVALID_INVOCATION'],
    ['Error: Invalid session ID. Must be a valid UUID.', 1, 'AGENT_INVALID_INVOCATION'],
    ['Error: Session ID 0f0e0d0c-0b0a-4908-8706-050403020100 is already in use.', 1, 'AGENT_INVALID_INVOCATION'],
    ['Warning: no stdin data received in 3s, proceeding without it.', 0, undefined],
    ['', 143, undefined],
  ] as const)('classifies %j (exit %s) as %s', (text, exitCode, code) => {
    expect(classifyClaudeFailure(text, exitCode)).toBe(code);
  });

  it('picks the recognised line out of a multi-line stderr tail', () => {
    const tail = 'some noise\n\u001b[31mNo conversation found with session ID: abc\u001b[0m\n';
    expect(classifyClaudeFailure(tail, 1)).toBe('AGENT_INVALID_INVOCATION');
  });
});

describe('isClaudePermissionDenial', () => {
  it('recognises the permission refusal and nothing else', () => {
    expect(isClaudePermissionDenial("Claude requested permissions to write to /x, but you haven't granted it yet.")).toBe(true);
    expect(isClaudePermissionDenial('Exit code 3\nls: cannot access')).toBe(false);
    expect(isClaudePermissionDenial('Denied by orchestrator policy')).toBe(false);
  });
});
