import { AGENT_LABELS, type AgentName } from './agents.js';
import type { FailureCode } from './failure.js';
import { isInsideRoot, parentDirectory } from './posix-path.js';

/*
 * How the orchestrator answers the errors the agent CLIs really give (REPORT.md §1.3, 2.3, 3.3), as a
 * pure function of the failure and the run: relaunch with the flag or directory the error asks for,
 * wait and retry, deny (a violation), or give the agent up. The recovery machine carries it out.
 */

/** A fix that a relaunch carries. */
export type LaunchFix =
  /** Codex "Not inside a trusted directory", Gemini exit 55: the CLI's own trust gate. */
  | { fix: 'skipTrust' }
  /** Gemini exits when an --include-directories entry is missing: create it (inside the roots). */
  | { fix: 'createDirectory'; directory: string }
  /** ... or leave it out (outside the roots). */
  | { fix: 'dropDirectory'; directory: string }
  /** A write was denied to a path the policy allows: give the agent its directory. */
  | { fix: 'addDirectory'; directory: string }
  /** A rate limit, a network failure or a crash: the same launch after a pause. */
  | { fix: 'retry' };

export type RecoveryStrategy =
  | ({ kind: 'relaunch'; delayMs: number; reason: string } & LaunchFix)
  /** The agent asked for a path the policy does not allow: denied, and recorded as a violation. */
  | { kind: 'violation'; path: string; reason: string }
  /** Nothing here can fix it (authentication, a missing binary): the agent is unavailable. */
  | { kind: 'unavailable'; reason: string }
  | { kind: 'giveUp'; reason: string };

/** What a strategy is chosen from. */
export interface RecoveryFacts {
  agent: AgentName;
  code: FailureCode;
  /** The error text, as the CLI printed it. */
  message: string;
  /** 1 for the first recovery of this worker. */
  attempt: number;
  /** Relaunches this worker may make at most. */
  maxAttempts: number;
  /** The first backoff; each attempt doubles it. */
  backoffMs: number;
  /** The run's working directory and extra directories, and whether it already skips the trust gate. */
  cwd: string;
  extraDirs: readonly string[];
  skipTrust: boolean;
  /** Where the policy lets agents write: the worktree, the extra directories, the policy's roots. */
  allowedRoots: readonly string[];
}

/** The longest a backoff waits. */
export const MAX_BACKOFF_MS = 60_000;

const LOGIN_HINTS: Record<AgentName, string> = {
  claude: 'log in with `claude` (then /login), or set ANTHROPIC_API_KEY',
  codex: 'log in with `codex login`, or set OPENAI_API_KEY',
  gemini: 'run `gemini` once to choose an auth method, or set GEMINI_API_KEY',
};

// The exponential backoff of the nth attempt: the first backoff, twice it, four times, ... up to a minute.
export function backoffMs(first: number, attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, first * 2 ** (attempt - 1));
}

// Chooses how to answer one failure.
export function chooseRecovery(facts: RecoveryFacts): RecoveryStrategy {
  const who = AGENT_LABELS[facts.agent];
  if (facts.code === 'AGENT_NOT_AUTHENTICATED') return { kind: 'unavailable', reason: `${who} is not authenticated: ${LOGIN_HINTS[facts.agent]}` };
  if (facts.code === 'AGENT_NOT_INSTALLED') return { kind: 'unavailable', reason: `${who} is not installed (orchestrate doctor says how to install it)` };
  if (facts.code === 'AGENT_SANDBOX_UNAVAILABLE') return { kind: 'unavailable', reason: `${who} cannot be sandboxed here: ${facts.message}` };
  // What the policy stopped is not retried: a relaunch would do it again.
  if (facts.code === 'AGENT_POLICY_VIOLATION' || facts.code === 'AGENT_LIMIT_EXCEEDED' || facts.code === 'AGENT_BUDGET') return { kind: 'giveUp', reason: `stopped by the policy (${facts.code}): not retried` };
  if (facts.attempt > facts.maxAttempts) return { kind: 'giveUp', reason: `${facts.maxAttempts} recoveries did not fix ${facts.code}` };
  switch (facts.code) {
    case 'AGENT_UNTRUSTED_DIRECTORY':
      return facts.skipTrust
        ? { kind: 'giveUp', reason: 'the CLI refuses the directory although its trust gate is already skipped' }
        : relaunch({ fix: 'skipTrust' }, 0, 'the worktree is one orchestrate made for this session: relaunch past the trust gate');
    case 'AGENT_INVALID_INVOCATION':
      return missingDirectory(facts) ?? { kind: 'giveUp', reason: `the CLI rejected its command line: ${facts.message}` };
    case 'AGENT_PERMISSION_DENIED':
      return deniedWrite(facts);
    case 'AGENT_RATE_LIMITED':
      return relaunch({ fix: 'retry' }, backoffMs(facts.backoffMs, facts.attempt), 'rate limited: wait, then retry');
    case 'AGENT_NETWORK':
    case 'AGENT_STALLED':
      return relaunch({ fix: 'retry' }, backoffMs(facts.backoffMs, facts.attempt), 'the provider could not be reached: wait, then retry');
    case 'AGENT_CRASHED':
      // A crash is retried once: a second one is the CLI's, not the moment's.
      return facts.attempt === 1 ? relaunch({ fix: 'retry' }, facts.backoffMs, 'the CLI crashed: retry once') : { kind: 'giveUp', reason: 'the CLI crashed again' };
    case 'AGENT_TOOL_UNAVAILABLE':
      // Workers already run in the mode where the tools exist (Gemini yolo): the sandbox or the policy removed them.
      return { kind: 'giveUp', reason: 'the CLI ran without its tools although it was launched in the mode that has them' };
    default:
      return { kind: 'giveUp', reason: `${facts.code} cannot be fixed by a relaunch` };
  }
}

function relaunch(fix: LaunchFix, delayMs: number, reason: string): RecoveryStrategy {
  return { kind: 'relaunch', delayMs, reason, ...fix };
}

// Gemini: "Directory does not exist: /x" for an --include-directories entry.
function missingDirectory(facts: RecoveryFacts): RecoveryStrategy | undefined {
  // The path ends at a space or the closing parenthesis of Gemini's "(Directory does not exist: /x)".
  const directory = /Directory does not exist: (\/[^\s)]+)/.exec(facts.message)?.[1];
  if (!directory) return undefined;
  return allowed(facts, directory)
    ? relaunch({ fix: 'createDirectory', directory }, 0, `${directory} is missing: create it`)
    : relaunch({ fix: 'dropDirectory', directory }, 0, `${directory} is missing and outside the allowed roots: leave it out`);
}

// Claude "requested permissions to write to X", Gemini "Path not in workspace: Attempted path "X"".
function deniedWrite(facts: RecoveryFacts): RecoveryStrategy {
  const path = /write to (\/\S+?),? but/.exec(facts.message)?.[1] ?? /Attempted path "([^"]+)"/.exec(facts.message)?.[1];
  if (!path) return { kind: 'giveUp', reason: 'a write was denied, and the error does not say where' };
  if (!allowed(facts, path)) return { kind: 'violation', path, reason: `${path} is outside the allowed roots` };
  const directory = parentDirectory(path);
  if (directory === facts.cwd || facts.extraDirs.includes(directory)) return { kind: 'giveUp', reason: `${directory} was already open to the agent` };
  return relaunch({ fix: 'addDirectory', directory }, 0, `${path} is inside the allowed roots: open ${directory} to the agent`);
}

function allowed(facts: RecoveryFacts, path: string): boolean {
  return facts.allowedRoots.some((root) => isInsideRoot(path, root));
}

/** How many restarts in how long make a crash loop. */
export interface RestartIntensity {
  maxRestarts: number;
  periodMs: number;
}

export const DEFAULT_RESTART_INTENSITY: RestartIntensity = { maxRestarts: 3, periodMs: 60_000 };

// True when one more restart would exceed the intensity: the worker is given up, never a crash loop.
export function exceedsRestartIntensity(restarts: readonly number[], now: number, intensity: RestartIntensity): boolean {
  return restarts.filter((at) => now - at < intensity.periodMs).length >= intensity.maxRestarts;
}
