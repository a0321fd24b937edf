import { describe, expect, it } from 'vitest';
import { chooseRecovery, exceedsRestartIntensity, isInsideRoot, normalizePath, type FailureCode, type RecoveryFacts } from '../../src/domain/index.js';

const base: RecoveryFacts = {
  agent: 'gemini',
  code: 'AGENT_CRASHED',
  message: '',
  attempt: 1,
  maxAttempts: 3,
  backoffMs: 2000,
  cwd: '/ws/worktrees/s1',
  extraDirs: ['/repo/shared'],
  skipTrust: false,
  allowedRoots: ['/ws/worktrees/s1', '/repo/shared', '/repo/assets'],
};
const facts = (code: FailureCode, message = '', more: Partial<RecoveryFacts> = {}): RecoveryFacts => ({ ...base, code, message, ...more });

describe('chooseRecovery', () => {
  it.each<[string, RecoveryFacts, object]>([
    ['Codex outside a trusted directory: relaunch past the trust gate', facts('AGENT_UNTRUSTED_DIRECTORY', 'Not inside a trusted directory and --skip-git-repo-check was not specified.', { agent: 'codex' }), { kind: 'relaunch', fix: 'skipTrust', delayMs: 0 }],
    ['Gemini untrusted (exit 55), already skipping: give up', facts('AGENT_UNTRUSTED_DIRECTORY', 'Gemini CLI is not running in a trusted directory.', { skipTrust: true }), { kind: 'giveUp' }],
    ['Gemini missing include directory inside the roots: create it', facts('AGENT_INVALID_INVOCATION', 'An unexpected critical error occurred:Error: Directory does not exist: /repo/assets/img'), { kind: 'relaunch', fix: 'createDirectory', directory: '/repo/assets/img' }],
    ['Gemini missing include directory outside the roots: drop it', facts('AGENT_INVALID_INVOCATION', 'Error: Directory does not exist: /etc/nowhere'), { kind: 'relaunch', fix: 'dropDirectory', directory: '/etc/nowhere' }],
    ["Gemini's warning line names it in parentheses", facts('AGENT_INVALID_INVOCATION', '[WARN] Skipping unreadable directory: /repo/assets/img (Directory does not exist: /repo/assets/img)'), { fix: 'createDirectory', directory: '/repo/assets/img' }],
    ['another invocation error: give up', facts('AGENT_INVALID_INVOCATION', 'error: unexpected argument --full-auto found'), { kind: 'giveUp' }],
    ['Claude denied a write inside the roots: open its directory', facts('AGENT_PERMISSION_DENIED', "Claude requested permissions to write to /repo/assets/logo.svg, but you haven't granted it yet.", { agent: 'claude' }), { kind: 'relaunch', fix: 'addDirectory', directory: '/repo/assets' }],
    ['Gemini denied a path outside the roots: a violation', facts('AGENT_PERMISSION_DENIED', 'Path not in workspace: Attempted path "/home/u/.bashrc" resolves outside the allowed workspace directories'), { kind: 'violation', path: '/home/u/.bashrc' }],
    ['a denied write with .. out of the roots: a violation', facts('AGENT_PERMISSION_DENIED', "Claude requested permissions to write to /repo/assets/../../etc/passwd, but you haven't granted it yet.", { agent: 'claude' }), { kind: 'violation' }],
    ['a denied write in a directory already open: give up', facts('AGENT_PERMISSION_DENIED', "Claude requested permissions to write to /repo/shared/x.txt, but you haven't granted it yet.", { agent: 'claude' }), { kind: 'giveUp' }],
    ['Codex read-only rejection names no path: give up', facts('AGENT_PERMISSION_DENIED', 'patch rejected: writing is blocked by read-only sandbox', { agent: 'codex' }), { kind: 'giveUp' }],
    ['rate limited: back off and retry', facts('AGENT_RATE_LIMITED', '429', { attempt: 2 }), { kind: 'relaunch', fix: 'retry', delayMs: 4000 }],
    ['network down (Codex retries forever, caught by the idle deadline): back off', facts('AGENT_NETWORK', 'Reconnecting... waiting for network', { agent: 'codex' }), { kind: 'relaunch', fix: 'retry', delayMs: 2000 }],
    ['a stall: back off', facts('AGENT_STALLED', 'no output within the idle deadline'), { kind: 'relaunch', fix: 'retry' }],
    ['the backoff doubles with each attempt', facts('AGENT_NETWORK', 'x', { attempt: 3, maxAttempts: 10 }), { delayMs: 8000 }],
    ['the attempts used up: give up', facts('AGENT_NETWORK', 'x', { attempt: 4 }), { kind: 'giveUp' }],
    ['a crash: one retry after the first backoff', facts('AGENT_CRASHED', 'the agent exited with code 3 without a result'), { kind: 'relaunch', fix: 'retry', delayMs: 2000 }],
    ['a second crash: give up', facts('AGENT_CRASHED', 'the agent exited with code 3 without a result', { attempt: 2 }), { kind: 'giveUp' }],
    ['tools missing: give up (workers already run where the tools exist)', facts('AGENT_TOOL_UNAVAILABLE', 'Tool "run_shell_command" not found'), { kind: 'giveUp' }],
    ['a turn limit: give up', facts('AGENT_TURN_LIMIT', 'Reached maximum number of turns (1)'), { kind: 'giveUp' }],
  ])('%s', (_name, input, expected) => {
    const strategy = chooseRecovery(input);
    expect(strategy).toMatchObject(expected);
    expect(strategy.reason.length).toBeGreaterThan(10);
  });

  it.each<[string, FailureCode]>([
    ['claude', 'AGENT_NOT_AUTHENTICATED'],
    ['codex', 'AGENT_NOT_AUTHENTICATED'],
    ['gemini', 'AGENT_NOT_INSTALLED'],
  ])('%s %s: unavailable, saying how to fix it, whatever the attempt', (agent, code) => {
    const strategy = chooseRecovery(facts(code, '401', { agent: agent as RecoveryFacts['agent'], attempt: 9 }));
    expect(strategy.kind).toBe('unavailable');
    expect(strategy.reason).toMatch(code === 'AGENT_NOT_AUTHENTICATED' ? /log in|API_KEY/ : /doctor/);
  });
});

describe('restart intensity', () => {
  it('allows up to the limit within the period, and forgets restarts older than it', () => {
    const intensity = { maxRestarts: 3, periodMs: 60_000 };
    expect(exceedsRestartIntensity([1_000, 2_000], 3_000, intensity)).toBe(false);
    expect(exceedsRestartIntensity([1_000, 2_000, 3_000], 4_000, intensity)).toBe(true);
    expect(exceedsRestartIntensity([1_000, 2_000, 3_000], 62_500, intensity)).toBe(false);
  });
});

describe('posix paths', () => {
  it('resolves dots and relative paths without the file system', () => {
    expect(normalizePath('a/../b/./c', '/w')).toBe('/w/b/c');
    expect(normalizePath('/../../etc')).toBe('/etc');
    expect(isInsideRoot('/w/x/../y', '/w')).toBe(true);
    expect(isInsideRoot('/wx', '/w')).toBe(false);
    expect(isInsideRoot('/w/../etc/passwd', '/w')).toBe(false);
  });
});
