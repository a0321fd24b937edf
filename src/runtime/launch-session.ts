import { join } from 'node:path';
import { createActor, type AnyActorRef } from 'xstate';
import { ADAPTERS } from '../adapters/agents/index.js';
import { describeMerge } from '../adapters/git/index.js';
import { createAgentEnvironment } from '../adapters/process/environment.js';
import { startWatchdog } from '../adapters/process/watchdog.js';
import { createAgentProcessLogic } from '../actors/agent-process.js';
import { createCheckpointLogic } from '../actors/commit-checkpoint.js';
import { createRecoveryFixLogic } from '../actors/apply-recovery-fix.js';
import { createReviewCallLogic } from '../actors/review-call.js';
import { createReviewDiffLogic } from '../actors/review-diff.js';
import { createProbeAgentsLogic } from '../actors/probe-agents.js';
import {
  addUsage,
  buildSummary,
  getAgentSettings,
  isDecisive,
  ZERO_USAGE,
  type AgentEventBody,
  type ControlCommand,
  type LogEntry,
  type SessionInput,
  type SessionSummary,
  type ToolCallChecker,
  type UsageTotals,
} from '../domain/index.js';
import { fingerprintSession, provideSessionActors, type SessionContext } from '../machines/index.js';
import { createEventLog, type EventLog } from '../store/event-log.js';
import { iterateEvents } from '../store/event-reader.js';
import { createEventWriter } from '../store/event-writer.js';
import type { SessionRecord } from '../store/session-store.js';
import { startBudgetMonitor } from './budget-monitor.js';
import { createLaunchPolicy } from '../adapters/agents/shared/launch-policy.js';
import { createToolCallChecker, resolveSessionPolicy } from './policy-checker.js';
import { startReviewClock } from './review-clock.js';
import { createRunEnforcement, getSessionPolicy } from './run-enforcement.js';
import { deriveSessionEvents } from './session-events.js';
import { createSessionChannels } from './worker-channels.js';
import { createTableRecorder } from './session-tables.js';
import type { WorkspaceStore } from './workspace-store.js';

export interface LaunchOptions {
  record: SessionRecord;
  input: SessionInput;
  workspace: WorkspaceStore;
  sessionDir: string;
  /** The last sequence number already in the log (a resumed session continues after it). */
  startSeq: number;
  /** A persisted snapshot to restore the machines from, and the event it reflects. */
  restore?: { snapshot: unknown; seq: number; reaped: number[] };
  env?: NodeJS.ProcessEnv;
  watchdogScript?: string;
  /** The compiled MCP server of the agent channel, when not running from the built package (tests run sources). */
  mcpServerScript?: string;
  /**
   * Decides every tool call an agent reports, as its line is read (defence layer 4); built from the session's
   * policy. Without one, tool calls are not checked (the CLIs' own sandboxes still hold them).
   */
  checker?: ToolCallChecker;
}

/** A running session: its log to watch, its controls, and its summary when it ends. */
export interface RunningSession {
  sessionId: string;
  branch: string;
  worktree: string;
  sessionDir: string;
  log: EventLog;
  /** The workspace database connection the session writes through (read API, fault tests). */
  database: WorkspaceStore['db'];
  store: WorkspaceStore['store'];
  record: SessionRecord;
  /** The root session actor, for inspection and the dashboard's digest. */
  actor: AnyActorRef;
  usageByWorker(): Readonly<Record<string, UsageTotals>>;
  /** Resolves when the session ended and everything it logged is stored. */
  done: Promise<SessionSummary>;
  /** Starts the machines; subscribe to the log first to see every event. */
  start(): void;
  /** A person's command (terminal or dashboard): recorded, then sent to the session. */
  control(command: ControlCommand): void;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Closes the database; call it after `done`, once nothing reads the session any more. */
  dispose(): void;
}

const SNAPSHOT_DEBOUNCE_MS = 100;

// The workers a restart interrupted after they reported their vendor session: they resume it.
function findInterrupted(store: WorkspaceStore['store'], sessionId: string): Map<string, string> {
  const live = store.listWorkers(sessionId).filter((w) => w.vendorSessionId && w.endedAt === null);
  return new Map(live.map((w) => [w.workerId, w.vendorSessionId!]));
}

// Wires the real actors and the durable log into the session machine, new or restored.
export async function launchSession(options: LaunchOptions): Promise<RunningSession> {
  const { record, input, workspace } = options;
  const { store, db } = workspace;
  const sessionId = record.id;
  const report = (what: string) => (error: unknown) => process.stderr.write(`orchestrate: ${what}: ${String(error)}\n`);
  const recordTables = createTableRecorder(store, sessionId, input.plan.phases, input.workers.cwd, report('recording the session'));
  let scheduleSnapshot = () => {};
  const writer = createEventWriter(db, {
    onCommitted(entries) {
      for (const entry of entries) {
        recordTables(entry);
        if (entry.type.startsWith('agent.') && isDecisive(entry as AgentEventBody)) scheduleSnapshot();
      }
      log.published(entries);
    },
    onIntakePaused(reason) {
      log.append('session', { type: 'store.intakePaused', reason });
      control({ type: 'session.pause' });
    },
    onIntakeResumed() {
      log.append('session', { type: 'store.intakeResumed' });
      control({ type: 'session.resume' });
    },
    onError: report('writing events'),
  });
  const log = createEventLog(sessionId, { startSeq: options.startSeq, storage: writer });
  const watchdog = await startWatchdog({ scriptPath: options.watchdogScript });
  const channels = createSessionChannels(log, options.mcpServerScript);
  const commands = getAgentSettings(record.config, 'command');
  const baseEnv = options.env ?? process.env;
  const { timeouts } = record.config;
  const policy = getSessionPolicy(record.config);
  // Every tool call is checked against the session's policy as its line is read (defence layer 4).
  const effective = resolveSessionPolicy(record.config, { worktree: input.workers.cwd, workspace: record.workspace, target: record.target, extraDirs: input.workers.extraDirs, stateFiles: [workspace.path] });
  const checker = options.checker ?? createToolCallChecker(effective);
  const enforcement = createRunEnforcement(policy, baseEnv, checker);
  // What every actor that runs an agent CLI (a worker's agent, a reviewer) is given.
  const runDeps = {
    ...enforcement.deps,
    adapters: ADAPTERS,
    commands,
    log,
    baseEnv,
    maxLineBytes: record.config.maxLineBytes,
    stopGraceMs: timeouts.stopGraceSeconds * 1000,
    logDir: join(options.sessionDir, 'logs'),
    groups: watchdog,
  };
  const machine = provideSessionActors({
    agentProcess: createAgentProcessLogic({
      ...runDeps,
      interrupted: options.restore ? findInterrupted(store, sessionId) : undefined,
      channels,
      // The policy passed down to each CLI's own sandbox and permission flags (defence layer 1).
      launchPolicy: (unsandboxed) => createLaunchPolicy(effective, unsandboxed),
      filesDir: join(options.sessionDir, 'run-files'),
    }),
    reviewCall: createReviewCallLogic({ ...runDeps, filesDir: join(options.sessionDir, 'review-files'), secretPaths: createLaunchPolicy(effective, false).secretPaths }),
    reviewDiff: createReviewDiffLogic(log),
    applyRecoveryFix: createRecoveryFixLogic(log),
    probeAgents: createProbeAgentsLogic({ adapters: ADAPTERS, commands, env: createAgentEnvironment(baseEnv, {}), sandbox: policy.sandbox }, log),
    commitCheckpoint: createCheckpointLogic(input.workers.cwd, log),
  });
  const actor = createActor(machine, {
    id: 'session',
    systemId: 'session',
    input,
    ...(options.restore?.snapshot ? { snapshot: options.restore.snapshot as never } : {}),
  });

  const saveSnapshot = () => {
    try {
      store.saveSnapshot(sessionId, log.lastSeq, Date.now(), actor.getPersistedSnapshot());
    } catch (error) {
      report('saving a snapshot')(error);
    }
  };
  let snapshotTimer: NodeJS.Timeout | undefined;
  scheduleSnapshot = () => {
    snapshotTimer ??= setTimeout(() => {
      snapshotTimer = undefined;
      if (actor.getSnapshot().status === 'active') saveSnapshot();
    }, SNAPSHOT_DEBOUNCE_MS);
  };

  const usageByWorker: Record<string, UsageTotals> = {};
  log.subscribe((entry: LogEntry) => {
    if (entry.type === 'agent.usage') usageByWorker[entry.workerId] = addUsage(usageByWorker[entry.workerId] ?? ZERO_USAGE, entry);
  });
  const mergeCommand = record.repoRoot ? describeMerge({ repoRoot: record.repoRoot, branch: record.branch }).text : '';
  let stopReviewClock = () => {};
  let stopBudgets = () => {};
  const finish = async (snapshot: ReturnType<typeof actor.getSnapshot>): Promise<SessionSummary> => {
    stopReviewClock();
    stopBudgets();
    enforcement.close();
    const output = snapshot.output!;
    const fingerprint = fingerprintSession(snapshot);
    log.append('session', { type: 'session.finished', status: output.status, reason: output.reason, fingerprint });
    clearTimeout(snapshotTimer);
    saveSnapshot();
    const summary = buildSummary({
      ...snapshot.context,
      status: output.status,
      reason: output.reason,
      usageByWorker,
      branch: record.branch,
      worktree: input.workers.cwd,
      mergeCommand,
      startedAt: record.startedAt,
      endedAt: Date.now(),
    });
    await Promise.all([channels.dispose(), watchdog.close(), log.close()]);
    store.updateSession(sessionId, { state: output.status, endedAt: Date.now(), summary, tierPath: snapshot.context.tierPath });
    return summary;
  };
  const done = new Promise<SessionSummary>((resolve, reject) => {
    let previous: SessionContext | undefined = options.restore?.snapshot ? actor.getSnapshot().context : undefined;
    let paused = previous ? actor.getSnapshot().matches({ active: { control: 'paused' } }) : false;
    actor.subscribe({
      next(snapshot) {
        for (const { workerId, body } of deriveSessionEvents(previous, snapshot.context)) log.append(workerId, body);
        previous = snapshot.context;
        const nowPaused = snapshot.matches({ active: { control: 'paused' } });
        if (nowPaused !== paused) log.append('session', { type: nowPaused ? 'session.paused' : 'session.resumed' });
        paused = nowPaused;
        if (snapshot.status === 'done') void finish(snapshot).then(resolve, reject);
        else scheduleSnapshot();
      },
      error(error) {
        stopBudgets();
        enforcement.close();
        void Promise.all([channels.dispose(), watchdog.close(), log.close()]).finally(() => reject(error));
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
    store.updateSession(sessionId, { state: 'running' });
    if (options.restore) {
      const { seq, snapshot, reaped } = options.restore;
      log.append('session', { type: 'session.restored', snapshotSeq: seq, snapshot, reaped });
    } else {
      const { task, target, branch, agents } = record;
      log.append('session', { type: 'session.started', task, target, branch, agents, input });
    }
    actor.start();
    stopReviewClock = startReviewClock({
      intervalMs: input.review?.enabled ? input.review.intervalMs : 0,
      log,
      isWorking: () => actor.getSnapshot().matches({ active: { flow: 'working' } }),
      send: (event) => actor.send(event),
    });
    // A budget reached is logged first and then sent to the session, so a replay sends it in the same place.
    stopBudgets = startBudgetMonitor({
      budgets: policy.budgets,
      log,
      startedAt: record.startedAt,
      history: options.restore ? iterateEvents(db, sessionId, { toSeq: options.startSeq }) : undefined,
      onExceeded: (entry) => actor.send(entry as never),
    });
    // A restored worker's agent starts running even when the session was paused: pause it again.
    if (options.restore?.snapshot && actor.getSnapshot().matches({ active: { control: 'paused' } })) {
      control({ type: 'session.resume' });
      control({ type: 'session.pause' });
    }
  };

  return {
    sessionId,
    branch: record.branch,
    worktree: input.workers.cwd,
    sessionDir: options.sessionDir,
    log,
    database: db,
    store,
    record,
    actor,
    usageByWorker: () => usageByWorker,
    done,
    start,
    control,
    pause: () => control({ type: 'session.pause' }),
    resume: () => control({ type: 'session.resume' }),
    stop: () => control({ type: 'session.stop' }),
    dispose: () => {
      void channels.dispose();
      workspace.close();
    },
  };
}
