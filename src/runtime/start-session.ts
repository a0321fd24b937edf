import { join, resolve } from 'node:path';
import { getAgentSettings, toRecoverySettings, toReviewSettings, type AgentName, type ConfigFile, type Plan, type SessionInput, type ToolCallChecker } from '../domain/index.js';
import { launchSession, type RunningSession } from './launch-session.js';
import { prepareTarget } from './prepare-target.js';
import { createSessionId } from './session-id.js';
import { openWorkspaceStore } from './workspace-store.js';

export type { RunningSession } from './launch-session.js';

export interface SessionOptions {
  task: string;
  /** Absolute path of the repository to work on. */
  target: string;
  /** Absolute path of the directory for worktrees, logs and session state. */
  workspace: string;
  /** The database file; default `<workspace>/orchestrate.db`. */
  dbPath?: string;
  config: ConfigFile;
  plan: Plan;
  agents: AgentName[];
  initTarget?: boolean;
  /** The environment agents' scrubbed environments are made from. */
  env?: NodeJS.ProcessEnv;
  /** The compiled watchdog script, when not running from the built package (tests run sources). */
  watchdogScript?: string;
  /** The compiled MCP server of the agent channel, likewise. */
  mcpServerScript?: string;
  /** Decides each tool call the agents report (see LaunchOptions.checker). */
  checker?: ToolCallChecker;
}

// Prepares the worktree, records the session and wires it up; start() runs it.
export async function startSession(options: SessionOptions): Promise<RunningSession> {
  const sessionId = createSessionId();
  const extraDirs = options.config.extraDirs.map((dir) => join(options.target, dir));
  const prepared = await prepareTarget({ ...options, sessionId, initTarget: options.initTarget ?? false, extraDirs });
  const workspace = openWorkspaceStore(options.workspace, options.dbPath);
  const { timeouts } = options.config;
  const models = getAgentSettings(options.config, 'model');
  const input: SessionInput = {
    sessionId,
    task: options.task,
    plan: options.plan,
    agents: options.agents,
    workers: {
      cwd: prepared.worktree.path,
      extraDirs,
      models,
      idleTimeoutMs: timeouts.idleSeconds * 1000,
      wallTimeoutMs: timeouts.phaseSeconds * 1000,
      trustWorktree: options.config.trustWorktree,
      baseSha: prepared.worktree.baseSha,
      recovery: toRecoverySettings(options.config, [prepared.worktree.path, ...extraDirs, ...options.config.policy.roots.map((root) => resolve(options.target, root))]),
    },
    review: toReviewSettings(options.config),
    onViolation: options.config.policy.onViolation,
  };
  const record = workspace.store.createSession({
    id: sessionId,
    task: options.task,
    target: options.target,
    workspace: options.workspace,
    branch: prepared.worktree.branch,
    worktree: prepared.worktree.path,
    repoRoot: prepared.repoRoot,
    plan: options.plan,
    config: options.config,
    agents: options.agents,
    state: 'starting',
    startedAt: Date.now(),
  });
  return launchSession({
    record,
    input,
    workspace,
    sessionDir: prepared.sessionDir,
    startSeq: 0,
    env: options.env,
    watchdogScript: options.watchdogScript,
    mcpServerScript: options.mcpServerScript,
    checker: options.checker,
  });
}
