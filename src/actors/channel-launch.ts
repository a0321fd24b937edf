import type { AgentAdapter, CommandLine, LaunchSpec, McpServerLaunch } from '../adapters/agents/types.js';
import { buildConfigOverlay } from '../adapters/process/config-overlay.js';
import { createAgentEnvironment } from '../adapters/process/environment.js';
import type { ReportKind } from '../domain/index.js';

/** One worker's open channel: the MCP server its CLI starts, and the end of it. */
export interface WorkerChannel {
  mcp: McpServerLaunch;
  /** Revokes the worker's secret and removes its private files. Idempotent. */
  close(): void;
}

/** The session's agent channel, as the agent-process actor uses it. */
export interface WorkerChannels {
  /** Opens a worker's channel: its reports go to onReport until it is closed. */
  open(workerId: string, onReport: (kind: ReportKind, text: string) => void): WorkerChannel;
}

/** What one run is started with, and how its channel is closed once the run is over. */
export interface ChannelLaunch {
  command: CommandLine;
  close(): void;
}

export interface ChannelLaunchOptions {
  adapter: AgentAdapter;
  spec: LaunchSpec;
  /** The executable and its leading args. */
  executable: readonly string[];
  workerId: string;
  /** The orchestrator's environment, where a config overlay finds the user's own config directory. */
  baseEnv: NodeJS.ProcessEnv;
  channels?: WorkerChannels;
  onReport(kind: ReportKind, text: string): void;
}

// Builds a run's command with the orchestrator's MCP server in it, and what the command needs on disk
// beyond its files. When that cannot be built, the run goes without the server: the text markers remain.
export function buildChannelLaunch(options: ChannelLaunchOptions): ChannelLaunch {
  const { adapter, spec, executable, workerId, channels } = options;
  const withoutChannel = () => ({ command: adapter.buildCommand(spec, executable), close: () => {} });
  if (!channels) return withoutChannel();
  const { mcp, close } = channels.open(workerId, options.onReport);
  try {
    const command = adapter.buildCommand({ ...spec, mcp }, executable);
    if (command.configOverlay) buildConfigOverlay(command.configOverlay, createAgentEnvironment(options.baseEnv, {}));
    return { command, close };
  } catch {
    close();
    return withoutChannel();
  }
}
