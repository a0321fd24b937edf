import { describe, expect, it } from 'vitest';
import { classifyGeminiFailure } from '../../../../src/adapters/agents/gemini/classify.js';

const RED = '\u001b[31m';
const RESET = '\u001b[0m';

describe('classifyGeminiFailure', () => {
  // Real texts from the research runs (runs/gemini-*.stderr, result and tool_result errors); home paths shortened.
  it.each([
    [
      'Please set an Auth method in your ~/.gemini/settings.json or specify one of the following environment variables before running: GEMINI_API_KEY, GOOGLE_GENAI_USE_VERTEXAI, GOOGLE_GENAI_USE_GCA',
      41,
      'AGENT_NOT_AUTHENTICATED',
    ],
    ['Invalid auth method selected.', 41, 'AGENT_NOT_AUTHENTICATED'],
    [
      'unknown\n[API Error: {"error":{"code":401,"message":"API key not valid. Please pass a valid API key.","status":"UNAUTHENTICATED"}}]',
      145,
      'AGENT_NOT_AUTHENTICATED',
    ],
    [
      `${RED}Gemini CLI is not running in a trusted directory. To proceed, either use \`--skip-trust\`, set the \`GEMINI_CLI_TRUST_WORKSPACE=true\` environment variable, or trust this directory in interactive mode.${RESET}`,
      55,
      'AGENT_UNTRUSTED_DIRECTORY',
    ],
    [
      'FatalTurnLimitedError\nReached max session turns for this session. Increase the number of turns by specifying maxSessionTurns in settings.json.',
      53,
      'AGENT_TURN_LIMIT',
    ],
    ['unknown\n[API Error: exception TypeError: fetch failed sending request]', 1, 'AGENT_NETWORK'],
    ['Attempt 1 failed. Retrying with backoff... Error: exception TypeError: fetch failed sending request', 124, 'AGENT_NETWORK'],
    [
      'tool_not_registered\nTool "run_shell_command" not found. Did you mean one of: "update_topic", "grep_search", "invoke_agent"?',
      0,
      'AGENT_TOOL_UNAVAILABLE',
    ],
    [
      'invalid_tool_params\nPath not in workspace: Attempted path "/w/other/hello.txt" resolves outside the allowed workspace directories: /w/mine',
      0,
      'AGENT_PERMISSION_DENIED',
    ],
    ['Error resuming session: No previous sessions found for this project.', 42, 'AGENT_INVALID_INVOCATION'],
    [
      'Error starting session: Session ID "0f0e0d0c-0b0a-4908-8706-050403020101" already exists. Use --resume to resume it, or provide a different ID.',
      42,
      'AGENT_INVALID_INVOCATION',
    ],
    ['No input provided via stdin. Input can be provided by piping data into gemini or using the --prompt option.', 42, 'AGENT_INVALID_INVOCATION'],
    ['Invalid values:\n  Argument: output-format, Given: "jsonl", Choices: "text", "json", "stream-json"', 1, 'AGENT_INVALID_INVOCATION'],
    ['Cannot use both --yolo (-y) and --approval-mode together. Use --approval-mode=yolo instead.', 1, 'AGENT_INVALID_INVOCATION'],
    [
      '[WARN] Skipping unreadable directory: /nonexistent/dir (Directory does not exist: /nonexistent/dir)\nAn unexpected critical error occurred:Error: Directory does not exist: /nonexistent/dir',
      1,
      'AGENT_INVALID_INVOCATION',
    ],
    ["FatalSandboxError: Sandbox image 'us-docker.pkg.dev/gemini-code-dev/gemini-cli/sandbox:0.61.0' is missing or could not be pulled.", 1, 'AGENT_SANDBOX_UNAVAILABLE'],
    ['\u001b[31mGEMINI_SANDBOX is true but failed to determine command for sandbox; install docker or podman or specify command in GEMINI_SANDBOX\u001b[0m', 44, 'AGENT_SANDBOX_UNAVAILABLE'],
    ['Warning: 256-color support not detected.\nRipgrep is not available. Falling back to GrepTool.', 0, undefined],
  ] as const)('classifies %j (exit %s) as %s', (text, exitCode, code) => {
    expect(classifyGeminiFailure(text, exitCode)).toBe(code);
  });

  // Exit codes alone (Fatal*Error classes; API errors exit with HTTP status & 0xFF in json modes).
  it.each([
    [41, 'AGENT_NOT_AUTHENTICATED'],
    [42, 'AGENT_INVALID_INVOCATION'],
    [44, 'AGENT_SANDBOX_UNAVAILABLE'],
    [52, 'AGENT_INVALID_INVOCATION'],
    [53, 'AGENT_TURN_LIMIT'],
    [55, 'AGENT_UNTRUSTED_DIRECTORY'],
    [145, 'AGENT_NOT_AUTHENTICATED'],
    [173, 'AGENT_RATE_LIMITED'],
    [244, 'AGENT_NETWORK'],
    [1, undefined],
    [54, undefined],
    [130, undefined],
    [null, undefined],
  ] as const)('classifies exit code %s without a text as %s', (exitCode, code) => {
    expect(classifyGeminiFailure('', exitCode)).toBe(code);
  });

  it('prefers the text over the exit code', () => {
    expect(classifyGeminiFailure('Reached max session turns for this session.', 1)).toBe('AGENT_TURN_LIMIT');
  });
});
