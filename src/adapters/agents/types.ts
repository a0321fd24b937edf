import type { AgentEventBody, AgentName, FailureCode } from '../../domain/index.js';

/** What a worker asks an agent CLI to do. */
export interface LaunchSpec {
  prompt: string;
  /** The agent's working directory (the session worktree). */
  cwd: string;
  /** Further directories the agent may read and write. */
  extraDirs: string[];
  model?: string;
  /** Continue an earlier conversation of this agent (vendor session id, recorded with its cwd). */
  resumeSessionId?: string;
  maxTurns?: number;
  /** Skip the CLI's own trust gate (Codex git check, Gemini folder trust). */
  skipTrust?: boolean;
}

/** A ready-to-spawn command. stdin is always closed: two of the three CLIs misbehave on an open pipe. */
export interface CommandLine {
  file: string;
  args: string[];
  /** Variables to add to the agent's (already scrubbed) environment. */
  env: Record<string, string>;
  cwd: string;
}

/** How a run ended, as the process layer saw it. */
export interface ProcessExit {
  exitCode: number | null;
  signal: string | null;
}

/**
 * Turns one run's stdout lines into normalized events. Stateful: some vendors spread the final
 * text over many lines (Gemini deltas, Codex's last agent_message).
 */
export interface StreamNormalizer {
  /** One complete stdout line (without the newline). Never throws. */
  push(line: string): AgentEventBody[];
  /**
   * Called once when the process has exited. Emits the events the end of the stream implies:
   * `agent.result` and/or `agent.error` when the vendor's own end marker was missing or
   * contradicts the exit code, decided the way each vendor needs (see REPORT.md).
   */
  finish(exit: ProcessExit, stderrTail: string): AgentEventBody[];
}

/** One agent CLI behind one interface. Adapters hold no xstate and do no I/O but building strings. */
export interface AgentAdapter {
  readonly name: AgentName;
  /** The executable looked up on PATH when the config gives no command. */
  readonly defaultCommand: readonly string[];
  /** Arguments that make the CLI print its version and exit. */
  readonly versionArgs: readonly string[];
  /** Builds the non-interactive streaming invocation. `command` is the executable (and any leading args). */
  buildCommand(spec: LaunchSpec, command: readonly string[]): CommandLine;
  createNormalizer(): StreamNormalizer;
  /** Classifies an error text (a stream error, stderr tail) into a stable code, when it recognises it. */
  classifyFailure(text: string, exitCode: number | null): FailureCode | undefined;
}
