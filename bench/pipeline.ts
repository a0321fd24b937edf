import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { assign, createActor, setup } from 'xstate';
import { createAgentProcessLogic } from '../src/actors/agent-process.js';
import { ADAPTERS } from '../src/adapters/agents/index.js';
import { isDecisive, type AgentEventBody } from '../src/domain/index.js';
import type { WorkerOutcome } from '../src/domain/worker-outcome.js';
import { workerMachine, type WorkerFinished, type WorkerInput } from '../src/machines/index.js';
import { openDatabase } from '../src/store/database.js';
import { createEventLog } from '../src/store/event-log.js';
import { createEventWriter } from '../src/store/event-writer.js';
import type { BenchJob, RunResult, SimRun } from './protocol.js';
import { withTimeout, type RunContext } from './run-context.js';
import { reapedChildrenCpuUs, startMemorySampler } from './sampler.js';

const IDLE_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 1_000;

// Stands in for the session machine: invokes one real worker and keeps the outcome it ends with.
function createHost(job: BenchJob, sim: SimRun, ctx: RunContext, log: ReturnType<typeof createEventLog>) {
  const agentProcess = createAgentProcessLogic({
    adapters: ADAPTERS,
    commands: { [job.vendor]: sim.simLead },
    log,
    baseEnv: process.env,
    maxLineBytes: job.maxLineBytes,
    stopGraceMs: STOP_GRACE_MS,
    logDir: join(job.workDir, 'logs', `pipeline-${ctx.index}`),
    groups: { add: ctx.track, remove: ctx.untrack },
  });
  return setup({
    types: {
      context: {} as { worker: WorkerInput; outcome?: WorkerOutcome },
      input: {} as WorkerInput,
    },
    actors: { worker: workerMachine.provide({ actors: { agentProcess } }) },
  }).createMachine({
    id: 'bench-host',
    context: ({ input }) => ({ worker: input }),
    initial: 'running',
    states: {
      running: {
        invoke: {
          src: 'worker',
          input: ({ context }) => context.worker,
          onDone: { target: 'finished', actions: assign({ outcome: ({ event }) => (event.output as WorkerFinished | undefined)?.outcome }) },
          onError: 'finished',
        },
      },
      finished: { type: 'final' },
    },
  });
}

// The whole pipeline: the sim child → spawnAgentProcess framing → the adapter's normalizer →
// the event log → the real worker machine (decisive events only), under a minimal host machine.
export async function pipelineRun(job: BenchJob, sim: SimRun, ctx: RunContext): Promise<RunResult> {
  // With logFile, the log is the real durable one: SQLite, batched transactions, broadcast after commit.
  const logPath = job.logFile ? join(job.workDir, `events-${ctx.index}.db`) : undefined;
  const db = logPath === undefined ? undefined : openDatabase(logPath);
  const writer = db === undefined ? undefined : createEventWriter(db, { onCommitted: (entries) => log.published(entries) });
  const log = createEventLog(`bench-${job.vendor}-${ctx.index}`, { storage: writer });
  let events = 0;
  let messages = 0;
  let decisive = 0;
  let firstAt = 0;
  let endAt = 0;
  log.subscribe((entry) => {
    if (events++ === 0) firstAt = performance.now();
    if (entry.type === 'agent.message') messages++;
    else if (entry.type === 'agent.exited') endAt = performance.now();
    if (isDecisive(entry as AgentEventBody)) decisive++;
  });
  const host = createHost(job, sim, ctx, log);
  const input: WorkerInput = {
    phaseId: 'bench',
    role: 'implementer',
    wallTimeoutMs: job.runTimeoutMs * 2,
    launch: {
      sessionId: log.sessionId,
      workerId: `${job.vendor}-1`,
      agent: job.vendor,
      prompt: job.launch.prompt,
      cwd: job.launch.cwd,
      extraDirs: [],
      skipTrust: job.launch.skipTrust,
      idleTimeoutMs: IDLE_TIMEOUT_MS,
    },
  };

  const simCpu0 = reapedChildrenCpuUs(job.clockTicks);
  const memory = startMemorySampler();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const actor = createActor(host, { input });
  const finished = new Promise<WorkerOutcome | undefined>((resolve, reject) => {
    actor.subscribe({
      next(snapshot) {
        if (snapshot.status === 'done') resolve(snapshot.context.outcome);
      },
      error: reject,
    });
  });
  actor.start();
  let outcome: WorkerOutcome | undefined;
  try {
    outcome = await withTimeout(finished, job.runTimeoutMs, `pipeline ${job.vendor} run ${ctx.index}`, () => actor.stop());
  } finally {
    await log.close();
  }
  const logBytes = logPath === undefined ? undefined : databaseBytes(logPath);
  db?.close();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const mem = memory.stop();
  const simCpu1 = reapedChildrenCpuUs(job.clockTicks);
  // The database (tens of MB) is only weighed, then removed so the runs do not fill the disk.
  if (logPath !== undefined) for (const suffix of ['', '-wal', '-shm']) rmSync(`${logPath}${suffix}`, { force: true });

  if (outcome?.status !== 'done') {
    const why = outcome ? `${outcome.status}: ${outcome.failure?.code ?? ''} ${outcome.failure?.message ?? ''}` : 'no outcome';
    throw new Error(`the worker did not finish its run (${why.trim()})`);
  }
  return {
    lines: 0,
    messages,
    streamMs: endAt - firstAt,
    wallMs,
    cpuUs: cpu.user + cpu.system,
    simCpuUs: simCpu0 === undefined || simCpu1 === undefined ? undefined : simCpu1 - simCpu0,
    ...mem,
    events,
    machineEvents: decisive,
    outcome: outcome.status,
    logBytes,
  };
}

function databaseBytes(path: string): number {
  return ['', '-wal'].reduce((sum, suffix) => sum + (existsSync(`${path}${suffix}`) ? statSync(`${path}${suffix}`).size : 0), 0);
}
