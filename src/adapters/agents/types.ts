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
  /** The orchestrator's MCP server (the agent channel), given to the CLI the vendor's way. */
  mcp?: McpServerLaunch;
  /** What the run may do, compiled into the CLI's own sandbox and permission flags. */
  policy?: LaunchPolicy;
  /** A directory private to this run (0700) for the files the command line names; `mcp.dir` when absent. */
  filesDir?: string;
}

/**
 * The safety policy of one run as the CLIs' own sandboxes and permission rules can hold it (the first
 * defence layer; the orchestrator's check of each tool call in the stream is the next). Every path is absolute.
 */
export interface LaunchPolicy {
  /**
   * `required`: the CLI's OS sandbox is on and must hold (a CLI that can refuses to start without it).
   * `off`: the user accepted running this agent without it, because it cannot run here.
   */
  sandbox: 'required' | 'off';
  /** Directories the agent may write: the worktree, the extra directories, the policy's roots, the temporary ones. Each must exist. */
  writableRoots: string[];
  /** Whether the commands the agent runs may reach the network. */
  network: boolean;
  /** Commands refused outright, as program and leading arguments ("git push", "rm -rf"). */
  denyCommands: string[];
  /**
   * Commands a person must approve. Nobody can answer a CLI's prompt in a headless run, so the CLI refuses
   * them too; the orchestrator's stream check is where a person is asked.
   */
  askCommands: string[];
  /** Paths the agent must not write even inside a writable root: the agents' own configuration (.claude/, .codex/, .gemini/, .mcp.json), git's, the shells'. */
  protectedPaths: string[];
  /** Paths the agent must not read: credentials (~/.ssh, ~/.aws, ...) and the orchestrator's state. Never above a writable root. */
  secretPaths: string[];
}

/** A stdio MCP server for a CLI to start, and where that CLI's private files for it go. */
export interface McpServerLaunch {
  /** The name the CLI knows it by (Claude names its tools `mcp__<name>__<tool>`). */
  name: string;
  command: string;
  args: string[];
  /** The server's environment on top of what the CLI passes on; it carries the worker's secret. */
  env: Record<string, string>;
  /** The server's tool names, for CLIs that must be told which tools may run unasked. */
  tools: string[];
  /** A directory private to this worker (0700) for the files the command line names; removed with the worker. */
  dir: string;
}

/** What a review asks a reviewer CLI to do: one read-only run on the worktree, answering in JSON. */
export interface ReviewLaunchSpec {
  prompt: string;
  /** The worktree under review, the reviewer's working directory. */
  cwd: string;
  /** Further directories the reviewer may read. */
  extraDirs: string[];
  model?: string;
  /** Skip the CLI's own trust gate (Codex git check, Gemini folder trust). */
  skipTrust?: boolean;
  /** The answer's JSON Schema. */
  schema: object;
  /** A directory private to this call, where the files the command line names (`CommandLine.files`) are written. */
  filesDir: string;
  /** What the reviewer must not read, where its CLI can refuse it. */
  policy?: Pick<LaunchPolicy, 'secretPaths'>;
}

/** A ready-to-spawn command. stdin is always closed: two of the three CLIs misbehave on an open pipe. */
export interface CommandLine {
  file: string;
  args: string[];
  /** Variables to add to the agent's (already scrubbed) environment. */
  env: Record<string, string>;
  cwd: string;
  /** Files the command reads (absolute path → content); the caller writes them before the spawn. */
  files?: Record<string, string>;
  /** A private stand-in for the CLI's own config directory, built before the spawn (see ConfigOverlay). */
  configOverlay?: ConfigOverlay;
}

/**
 * For a CLI that reads MCP servers only from its settings file (Gemini): a private copy of the user's config
 * directory, built before the spawn, in which every entry of the user's directory is a link to the original and
 * the settings file is the user's own with `settings` merged over it. The CLI is pointed at it through `env`.
 */
export interface ConfigOverlay {
  /** The directory to build. */
  dir: string;
  /** The user's own directory: `subdir` of the first of `homeVariables` set in the agent's environment. */
  homeVariables: string[];
  subdir: string;
  /** Directories made in the user's existing directory first, so what the CLI keeps there (its sessions) stays. */
  keep: string[];
  settingsFile: string;
  /** Merged over the user's settings: objects key by key, anything else replaced. */
  settings: Record<string, unknown>;
}

/**
 * A check that a CLI's OS sandbox works on this machine, run before a session: `command` (in `dir`, an empty
 * scratch directory) exits 0 when it does. No command: it cannot work on this platform. `hint` tells a
 * person what is missing and how to get it.
 */
export interface SandboxProbe {
  command?: CommandLine;
  hint: string;
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
  /** Builds a one-shot review invocation that cannot write or run mutating commands, answering `spec.schema`. */
  buildReviewCommand(spec: ReviewLaunchSpec, command: readonly string[]): CommandLine;
  /** How to find out before a session whether the CLI's own sandbox can run here (see SandboxProbe). */
  buildSandboxProbe?(command: readonly string[], dir: string, platform: NodeJS.Platform): SandboxProbe;
  createNormalizer(): StreamNormalizer;
  /** Classifies an error text (a stream error, stderr tail) into a stable code, when it recognises it. */
  classifyFailure(text: string, exitCode: number | null): FailureCode | undefined;
}
