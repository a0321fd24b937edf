import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Invocation } from './invocation.js';

/*
 * How each vendor's CLI behaves when its OS sandbox cannot run here (the `sandboxUnavailable` failure),
 * with the texts observed from Claude Code 2.1.197 without bubblewrap and socat, Codex 0.169.0 without
 * user namespaces and Gemini CLI 0.61.0 without a container runtime (test/fixtures/agents,
 * test/contract/sandbox.contract.test.ts).
 */

const CLAUDE_MISSING =
  'sandbox is enabled but dependencies are missing: bubblewrap (bwrap) not installed, socat not installed · ' +
  'install missing tools (e.g. apt install bubblewrap socat) or see https://code.claude.com/docs/en/sandboxing';

/** The `errors` entry of Claude's result when sandbox.failIfUnavailable makes it refuse to start. */
export const CLAUDE_SANDBOX_REQUIRED_ERROR =
  `Sandbox required but unavailable: ${CLAUDE_MISSING}. Set sandbox.failIfUnavailable=false to allow unsandboxed execution.`;

/** What Claude prints on stderr then. */
export const CLAUDE_SANDBOX_REQUIRED_STDERR = [
  '',
  `Error: sandbox required but unavailable: ${CLAUDE_MISSING}`,
  '  sandbox.failIfUnavailable is set — refusing to start without a working sandbox.',
];

/** What Claude prints on stderr when the sandbox is enabled but not required: it goes on without it. */
export const CLAUDE_SANDBOX_DISABLED_STDERR = [
  '',
  `⚠ Sandbox disabled: ${CLAUDE_MISSING}`,
  '  Commands will run WITHOUT sandboxing. Network and filesystem restrictions will NOT be enforced.',
];

/** Gemini's stderr for --sandbox without docker or podman (exit 44), in red. */
export const GEMINI_NO_SANDBOX_COMMAND =
  'GEMINI_SANDBOX is true but failed to determine command for sandbox; install docker or podman or specify command in GEMINI_SANDBOX';
export const GEMINI_SANDBOX_EXIT_CODE = 44;

/**
 * What a command prints in Codex 0.169's sandbox when bubblewrap may not create its user namespace
 * (observed in a user namespace that may not nest one; other kernels say "No permissions to create a new
 * namespace"). Codex itself goes on: each command fails with exit code 1.
 */
export const CODEX_BWRAP_FAILURE = 'bwrap: Creating new namespace failed: nesting depth or /proc/sys/user/max_*_namespaces exceeded (ENOSPC)';

/** Claude's sandbox settings, as --settings (a JSON string, or a file relative to the cwd) gives them. */
export interface ClaudeSandboxSettings {
  enabled: boolean;
  failIfUnavailable: boolean;
}

// Claude's sandbox settings from --settings; off when there is none.
export function readClaudeSandboxSettings(inv: Invocation): ClaudeSandboxSettings {
  const value = inv.flags.get('--settings');
  if (typeof value !== 'string') return { enabled: false, failIfUnavailable: false };
  const text = value.trimStart().startsWith('{') ? value : readFileSync(isAbsolute(value) ? value : resolve(inv.cwd, value), 'utf8');
  const sandbox = (JSON.parse(text) as { sandbox?: { enabled?: unknown; failIfUnavailable?: unknown } }).sandbox;
  return { enabled: sandbox?.enabled === true, failIfUnavailable: sandbox?.enabled === true && sandbox.failIfUnavailable === true };
}

// True when Gemini was asked to run in its sandbox: --sandbox (-s), or GEMINI_SANDBOX.
export function isGeminiSandboxed(inv: Invocation, env: NodeJS.ProcessEnv): boolean {
  const variable = env.GEMINI_SANDBOX?.trim().toLowerCase();
  if (variable !== undefined && variable !== '') return variable !== 'false' && variable !== '0';
  return inv.flags.has('--sandbox') || inv.flags.has('-s');
}

// True when Codex runs commands in its sandbox (every mode but danger-full-access).
export function isCodexSandboxed(inv: Invocation): boolean {
  return inv.flags.get('--sandbox') !== 'danger-full-access' && !inv.flags.has('--dangerously-bypass-approvals-and-sandbox');
}
