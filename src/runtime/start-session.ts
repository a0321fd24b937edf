import { join } from 'node:path';
import { createActor } from 'xstate';
import { ADAPTERS } from '../adapters/agents/index.js';
import { describeMerge } from '../adapters/git/index.js';
import { startWatchdog } from '../adapters/process/watchdog.js';
import { createAgentEnvironment } from '../adapters/process/environment.js';
import { createAgentProcessLogic } from '../actors/agent-process.js';
import { createProbeAgentsLogic } from '../actors/probe-agents.js';
import { createCheckpointLogic } from '../actors/commit-checkpoint.js';
import { addUsage, buildSummary, ZERO_USAGE, type AgentName, type ControlCommand, type SessionInput, type ConfigFile, type Plan, type SessionSummary, type UsageTotals } from '../domain/index.js';
import { fingerprintSession, provideSessionActors, type SessionContext } from '../machines/index.js';
import { createEventLog, type EventLog } from '../store/event-log.js';
import { prepareTarget } from './prepare-target.js';
import { deriveSessionEvents } from './session-events.js';
import { createSessionId } from './session-id.js';

export interface SessionOptions {
  task: string;
  /** Absolute path of the repository to work on. */
  target: string;
  /** Absolute path of the directory for worktrees, logs and session state. */
  workspace: string;
  config: ConfigFile;
  plan: Plan;
  agents: AgentName[];
  initTarget?: boolean;
  /** The environment agents' scrubbed environments are made from. */
  env?: NodeJS.ProcessEnv;
  /** The compiled watchdog script, when not running from the built package (tests run sources). */
  watchdogScript?: string;
}

/** A running session: its log to watch, its controls, and its summary when it ends. */
export interface RunningSession {
  sessionId: string;
  branch: string;
  worktree: string;
  sessionDir: string;
  log: EventLog;
  actor: ReturnType<typeof createSessionActor>;
  done: Promise<SessionSummary>;
  /** Starts the machines; subscribe to the log first to see every event. */
  start(): void;
  pause(): void;
  resume(): void;
  stop(): void;
}

function createSessionActor(machine: ReturnType<typeof provideSessionActors>, input: Parameters<typeof createActor<typeof machine>>[1]) {
  return createActor(machine, input);
}

// Prepares the worktree and wires the real actors into the session machine; start() runs it.
export async function startSession(options: SessionOptions): Promise<RunningSession> {
  const sessionId = createSessionId();
  const extraDirs = options.config.extraDirs.map((dir) => join(options.target, dir));
  const prepared = await prepareTarget({ ...options, sessionId, initTarget: options.initTarget ?? false, extraDirs });
  const log = createEventLog(sessionId, join(prepared.sessionDir, 'events.jsonl'));
  const watchdog = await startWatchdog({ scriptPath: options.watchdogScript });
  const commands = Object.fromEntries(
    Object.entries(options.config.agents).flatMap(([agent, s]) => (s?.command ? [[agent, s.command]] : [])),
  ) as Partial<Record<AgentName, string[]>>;
  const baseEnv = options.env ?? process.env;
  const { timeouts } = options.config;

  const machine = provideSessionActors({
    agentProcess: createAgentProcessLogic({
      adapters: ADAPTERS,
      commands,
      log,
      baseEnv,
      maxLineBytes: options.config.maxLineBytes,
      stopGraceMs: timeouts.stopGraceSeconds * 1000,
      logDir: join(prepared.sessionDir, 'logs'),
      groups: watchdog,
    }),
    probeAgents: createProbeAgentsLogic({ adapters: ADAPTERS, commands, env: createAgentEnvironment(baseEnv, {}) }, log),
    commitCheckpoint: createCheckpointLogic(prepared.worktree.path, log),
  });
  const models = Object.fromEntries(
    Object.entries(options.config.agents).flatMap(([agent, s]) => (s?.model ? [[agent, s.model]] : [])),
  );
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
    },
  };
  const actor = createSessionActor(machine, { id: 'session', systemId: 'session', input });

  const usageByWorker: Record<string, UsageTotals> = {};
  log.subscribe((entry) => {
    if (entry.type === 'agent.usage') usageByWorker[entry.workerId] = addUsage(usageByWorker[entry.workerId] ?? ZERO_USAGE, entry);
  });
  const startedAt = Date.now();
  const mergeCommand = describeMerge({ repoRoot: prepared.repoRoot, branch: prepared.worktree.branch }).text;
  const done = new Promise<SessionSummary>((resolve, reject) => {
    let previous: SessionContext | undefined;
    let paused = false;
    actor.subscribe({
      next(snapshot) {
        for (const { workerId, body } of deriveSessionEvents(previous, snapshot.context)) log.append(workerId, body);
        previous = snapshot.context;
        const nowPaused = snapshot.matches({ active: { control: 'paused' } });
        if (nowPaused !== paused) log.append('session', { type: nowPaused ? 'session.paused' : 'session.resumed' });
        paused = nowPaused;
        if (snapshot.status !== 'done') return;
        const output = snapshot.output!;
        const fingerprint = fingerprintSession(snapshot);
        log.append('session', { type: 'session.finished', status: output.status, reason: output.reason, fingerprint });
        const summary = buildSummary({
          ...snapshot.context,
          status: output.status,
          reason: output.reason,
          usageByWorker,
          branch: prepared.worktree.branch,
          worktree: prepared.worktree.path,
          mergeCommand,
          startedAt,
          endedAt: Date.now(),
        });
        void Promise.all([watchdog.close(), log.close()]).then(() => resolve(summary), reject);
      },
      error(error) {
        void watchdog.close().finally(() => reject(error));
      },
    });
  });
  // A person's command is recorded before the machine sees it, so a replay re-sends it in place.
  const control = (command: ControlCommand) => {
    if (actor.getSnapshot().status !== 'active') return;
    log.append('session', { type: 'control.received', command });
    actor.send(command);
  };
  const start = () => {
    log.append('session', {
      type: 'session.started',
      task: options.task,
      target: options.target,
      branch: prepared.worktree.branch,
      agents: options.agents,
      input,
    });
    actor.start();
  };

  return {
    sessionId,
    branch: prepared.worktree.branch,
    worktree: prepared.worktree.path,
    sessionDir: prepared.sessionDir,
    log,
    actor,
    done,
    start,
    pause: () => control({ type: 'session.pause' }),
    resume: () => control({ type: 'session.resume' }),
    stop: () => control({ type: 'session.stop' }),
  };
}
