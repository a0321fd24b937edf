// One session measurement in a process of its own (forked by bench/sessions.ts, the job as JSON in
// argv): record a real session on simulated agents, replay recorded sessions, open an interrupted
// session's database (the baseline of a resume), resume it, or start a fresh one. Reports over IPC.
// Not meant to be run by hand.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { startWatchdog } from '../src/adapters/process/watchdog.js';
import { signalGroup } from '../src/adapters/process/process-groups.js';
import {
  AGENT_NAMES,
  type AgentName,
  createDefaultPlan,
  isDecisive,
  type AgentEventBody,
  type LogEntry,
  type Plan,
} from '../src/domain/index.js';
import { replaySession } from '../src/runtime/replay.js';
import { resumeSession } from '../src/runtime/resume-session.js';
import { startSession, type RunningSession } from '../src/runtime/start-session.js';
import { openWorkspaceStore } from '../src/runtime/workspace-store.js';
import { openDatabase } from '../src/store/database.js';
import { getLastSeq, readEvents } from '../src/store/event-reader.js';
import { withTimeout } from './run-context.js';
import { collectGarbage, startRunnerProcess } from './runner-process.js';
import { simCommand, simConfig, watchGroups } from './sim-agents.js';
import type { FreshJob, OpenJob, RecordJob, ReplayJob, ReplayRow, ResumeJob, SessionJob, SessionMessage } from './session-protocol.js';

const runner = startRunnerProcess<SessionJob, SessionMessage>();
const { job, send } = runner;

async function finish(session: RunningSession, timeoutMs: number, what: string) {
  return withTimeout(session.done, timeoutMs, what, () => session.stop());
}

async function record(job: RecordJob): Promise<void> {
  const t0 = performance.now();
  const session = await startSession({
    task: job.task,
    target: job.target,
    workspace: job.workspace,
    config: simConfig(job.scenarioFile),
    plan: createDefaultPlan(),
    agents: [...AGENT_NAMES],
  });
  watchGroups(session, runner);
  let phaseId: string | undefined;
  let reached = false;
  session.log.subscribe((entry) => {
    if (entry.type === 'phase.started') phaseId = entry.phaseId;
    if (job.killAtSeq !== undefined && !reached && entry.seq >= job.killAtSeq) {
      reached = true;
      void send({ type: 'reached', sessionId: session.sessionId, seq: entry.seq, phaseId });
    }
  });
  session.start();
  const summary = await finish(session, job.timeoutMs, 'the recorded session');
  await send({ type: 'recorded', sessionId: session.sessionId, status: summary.status, lastSeq: session.log.lastSeq, ms: performance.now() - t0 });
}

function isMachineInput(entry: LogEntry): boolean {
  if (['session.probed', 'phase.checkpointed', 'control.received', 'session.restored', 'process.idle'].includes(entry.type)) return true;
  return entry.type.startsWith('agent.') && isDecisive(entry as AgentEventBody);
}

function timed<T>(fn: () => T): [T, number] {
  collectGarbage();
  const t0 = performance.now();
  const value = fn();
  return [value, performance.now() - t0];
}

async function replay(job: ReplayJob): Promise<void> {
  const rows: ReplayRow[] = [];
  const dbs = job.sessions.map((s) => ({ ...s, db: openDatabase(s.dbPath, { readonly: true }) }));
  try {
    for (const { label } of dbs) {
      rows.push({ label, events: 0, machineEvents: 0, restores: 0, bytes: 0, readMs: [], stringifyMs: [], replayMs: [], replayCpuMs: [] });
    }
    // Round 0 warms up the JIT and the file cache; it is checked but not reported.
    for (let round = 0; round <= job.rounds; round++) {
      for (const [index, { label, db, sessionId }] of dbs.entries()) {
        const row = rows[index]!;
        const [entries, readMs] = timed(() => readEvents(db, sessionId));
        const [bytes, stringifyMs] = timed(() => {
          let total = 0;
          for (const entry of entries) total += JSON.stringify(entry).length;
          return total;
        });
        collectGarbage();
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const result = await replaySession(entries, { speed: 0 });
        const replayMs = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        if (result.recorded === undefined) throw new Error(`${label}: the session has no session.finished event with a fingerprint to check the replay against`);
        if (!isDeepStrictEqual(result.fingerprint, result.recorded)) {
          throw new Error(
            `${label}: the replay did not reach the recorded fingerprint\n  replayed: ${JSON.stringify(result.fingerprint).slice(0, 400)}\n  recorded: ${JSON.stringify(result.recorded).slice(0, 400)}`,
          );
        }
        if (round === 0) {
          row.events = entries.length;
          row.machineEvents = entries.filter(isMachineInput).length;
          row.restores = entries.filter((e) => e.type === 'session.restored').length;
          row.bytes = bytes;
          continue;
        }
        row.readMs.push(readMs);
        row.stringifyMs.push(stringifyMs);
        row.replayMs.push(replayMs);
        row.replayCpuMs.push((cpu.user + cpu.system) / 1000);
      }
    }
  } finally {
    for (const { db } of dbs) db.close();
  }
  await send({ type: 'replayed', rows });
}

// The least any resume must do: open the database, read the last seq and the latest snapshot.
async function open(job: OpenJob): Promise<void> {
  collectGarbage();
  const t0 = performance.now();
  const workspace = openWorkspaceStore(job.workspace);
  const t1 = performance.now();
  const lastSeq = getLastSeq(workspace.db, job.sessionId);
  const t2 = performance.now();
  const latest = workspace.store.latestSnapshot(job.sessionId, lastSeq);
  const t3 = performance.now();
  workspace.close();
  if (!latest) throw new Error(`session ${job.sessionId} has no snapshot`);
  collectGarbage();
  const t4 = performance.now();
  const watchdog = await startWatchdog();
  const watchdogMs = performance.now() - t4;
  await watchdog.close();
  const agentFirstLineMs = await agentFirstLine(job.agent, job.scenarioFile, job.cwd, job.timeoutMs);
  await send({
    type: 'opened',
    opened: {
      openMs: t1 - t0,
      lastSeqMs: t2 - t1,
      snapshotMs: t3 - t2,
      totalMs: t3 - t0,
      lastSeq,
      snapshotSeq: latest.seq,
      snapshotBytes: JSON.stringify(latest.snapshot).length,
      watchdogMs,
      agentFirstLineMs,
    },
  });
}

// Starts the agent's sim as its adapter would (own process group, stdin closed) and times its first
// stdout line; then lets it finish its short scenario.
async function agentFirstLine(agent: AgentName, scenarioFile: string, cwd: string, timeoutMs: number): Promise<number> {
  const { command } = simCommand(agent, scenarioFile, { prompt: 'orchestrate bench', cwd, skipTrust: true });
  collectGarbage();
  const t0 = performance.now();
  const child = spawn(command.file, command.args, {
    cwd: command.cwd,
    env: command.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  if (child.pid !== undefined) runner.track(child.pid);
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
  const firstLine = new Promise<number>((resolve) => child.stdout.once('data', () => resolve(performance.now() - t0)));
  const kill = () => {
    if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
  };
  const ms = await withTimeout(firstLine, timeoutMs, `the ${agent} sim's first line`, kill);
  child.stdout.resume();
  const code = await withTimeout(exited, timeoutMs, `the ${agent} sim`, kill);
  if (child.pid !== undefined) runner.untrack(child.pid);
  if (code !== 0) throw new Error(`the ${agent} sim exited with ${code}`);
  return ms;
}

async function resume(job: ResumeJob): Promise<void> {
  collectGarbage();
  const t0 = performance.now();
  const session = await resumeSession({ sessionId: job.sessionId, workspace: job.workspace });
  const returnedMs = performance.now() - t0;
  const startSeq = session.log.lastSeq;
  watchGroups(session, runner);
  let restoredMs: number | undefined;
  let firstAgentMs: number | undefined;
  let snapshotSeq = 0;
  let reaped = 0;
  const stamps = { restored: 0, spawned: 0, first: 0, heard: 0 };
  session.log.subscribe((entry) => {
    if (entry.type === 'session.restored') {
      restoredMs = performance.now() - t0;
      stamps.restored = entry.ts;
      snapshotSeq = entry.snapshotSeq;
      reaped = entry.reaped.length;
    } else if (restoredMs !== undefined && entry.type === 'process.spawned' && stamps.spawned === 0) {
      stamps.spawned = entry.ts;
    } else if (restoredMs !== undefined && firstAgentMs === undefined && entry.type.startsWith('agent.')) {
      firstAgentMs = performance.now() - t0;
      stamps.first = entry.ts;
      stamps.heard = Date.now();
    }
  });
  session.start();
  const summary = await finish(session, job.timeoutMs, 'the resumed session');
  const doneMs = performance.now() - t0;
  if (restoredMs === undefined || firstAgentMs === undefined) throw new Error('the resumed session did not restore and relaunch an agent');
  await send({
    type: 'resumed',
    resumed: {
      returnedMs,
      restoredMs,
      firstAgentMs,
      doneMs,
      status: summary.status,
      startSeq,
      snapshotSeq,
      reaped,
      endSeq: session.log.lastSeq,
      restoreToSpawnMs: stamps.spawned - stamps.restored,
      spawnToFirstEventMs: stamps.first - stamps.spawned,
      commitLagMs: stamps.heard - stamps.first,
    },
  });
}

async function fresh(job: FreshJob): Promise<void> {
  const defaults = createDefaultPlan();
  const plan: Plan = { phases: defaults.phases.filter((p) => p.id === job.phaseId) };
  if (plan.phases.length === 0) throw new Error(`the default plan has no phase ${job.phaseId}`);
  const config = simConfig(job.scenarioFile);
  collectGarbage();
  const t0 = performance.now();
  const session = await startSession({ task: job.task, target: job.target, workspace: job.workspace, config, plan, agents: [...AGENT_NAMES] });
  const returnedMs = performance.now() - t0;
  watchGroups(session, runner);
  let probedMs: number | undefined;
  let firstAgentMs: number | undefined;
  session.log.subscribe((entry) => {
    if (entry.type === 'session.probed') probedMs = performance.now() - t0;
    else if (firstAgentMs === undefined && entry.type.startsWith('agent.')) firstAgentMs = performance.now() - t0;
  });
  session.start();
  const summary = await finish(session, job.timeoutMs, 'the fresh session');
  const doneMs = performance.now() - t0;
  if (probedMs === undefined || firstAgentMs === undefined) throw new Error('the fresh session recorded no probe or heard no agent event');
  await send({ type: 'fresh', fresh: { returnedMs, probedMs, firstAgentMs, doneMs, status: summary.status } });
}

async function main(): Promise<void> {
  if (job.mode === 'record') await record(job);
  else if (job.mode === 'replay') await replay(job);
  else if (job.mode === 'open') await open(job);
  else if (job.mode === 'resume') await resume(job);
  else await fresh(job);
}

runner.run(main);
