// The session measurements of `npm run bench`: replay speed of a recorded session, and the time to
// resume a session of ≥100,000 events whose orchestrator was SIGKILLed mid-phase. Each comes with a
// baseline measured in the same run. See bench/README.md.
import { cpSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { initRepository } from '../src/adapters/git/index.js';
import { writeDemoRepository } from '../src/cli/demo/demo-repo.js';
import { createDefaultPlan, type AgentName, type LogEntry } from '../src/domain/index.js';
import { DATABASE_FILE } from '../src/runtime/workspace-store.js';
import { openDatabase } from '../src/store/database.js';
import { readEvents } from '../src/store/event-reader.js';
import { BenchError, forkRunner, killGroups, liveGroups } from './children.js';
import type { Fresh, Opened, ReplayRow, Resumed, SessionJob, SessionMessage, SessionPlace } from './session-protocol.js';
import { fixed, int, markdownTable, mb, median, minMax } from './stats.js';

const SESSION_RUNNER = fileURLToPath(new URL('./session-runner.js', import.meta.url));

/** Assistant messages between two tool calls in the recorded phases. */
const MESSAGES_PER_TOOL_CALL = 60;
/** One tool call in this many is a shell command (a real /bin/sh); the others write or edit a file. */
const SHELL_EVERY = 20;
/** Bound of one recorded session, and of one resumed or fresh session. */
const SESSION_TIMEOUT_MS = 90_000;
/** Extra time a runner gets to start and report. */
const RUNNER_SLACK_MS = 15_000;
/** How long the killed orchestrator's agents get to be stopped by its watchdog (grace 1.5 s). */
const WATCHDOG_WAIT_MS = 10_000;
const TASK = 'add a farewell function';

export interface SessionBenchOptions {
  /** Events committed when the orchestrator is killed; the recorded sessions are sized from it. */
  events: number;
  /** Measured rounds of the resume and its baselines. */
  runs: number;
  /** Measured rounds of the replay and its baselines (cheaper, and noisier: more rounds). */
  replayRuns: number;
  replay: boolean;
  resume: boolean;
}

type Step = Record<string, unknown>;

// What a resumed agent and a fresh one-phase session do: the sim's default steps. A resumed agent
// gets the resume prompt, which names no role, so it runs these and not its role's long steps.
const SHORT_STEPS: Step[] = [
  { say: 'Continuing with this phase.' },
  { write: { path: 'notes/resumed.md', content: 'resumed\n' } },
  { say: 'Done: the phase is finished.' },
];

// One phase of the recorded session: `messages` assistant messages with a tool call after every
// MESSAGES_PER_TOOL_CALL of them (writes and edits of a few files, now and then a shell command),
// a milestone now and then, and the phase's document at the end.
function phaseSteps(messages: number, document: string): Step[] {
  const steps: Step[] = [];
  let left = messages;
  for (let block = 0; left > 0; block++) {
    const count = Math.min(MESSAGES_PER_TOOL_CALL, left);
    left -= count;
    steps.push({ events: { count } });
    const file = `notes/n${Math.floor(block / 2) % 8}.md`;
    if (block % SHELL_EVERY === SHELL_EVERY - 1) steps.push({ shell: { command: 'echo checked' } });
    else if (block % 2 === 0) steps.push({ write: { path: file, content: `draft ${block}\n` } });
    else steps.push({ edit: { path: file, find: 'draft', replace: 'final' } });
    if (block % 100 === 99) steps.push({ marker: { kind: 'milestone', text: `block ${block + 1} done` } });
  }
  steps.push({ write: { path: document, content: `# ${document}\n\nWritten by the bench.\n` } }, { usage: { input: 120_000, output: 30_000 } });
  steps.push({ say: `Finished: ${document} is written.` });
  return steps;
}

// The recorded session's scenario: each role of the default plan prints messagesPerPhase messages.
function longScenario(messagesPerPhase: number): object {
  return {
    description: 'orchestrate bench: a long session',
    steps: SHORT_STEPS,
    roles: {
      architect: phaseSteps(messagesPerPhase, 'DESIGN.md'),
      implementer: phaseSteps(messagesPerPhase, 'src/farewell.js'),
      reviewer: phaseSteps(messagesPerPhase, 'VALIDATION.md'),
    },
  };
}

export interface Place extends SessionPlace {
  dir: string;
  dbPath: string;
}

export async function makePlace(dir: string): Promise<Place> {
  const target = join(dir, 'repo');
  await writeDemoRepository(target);
  await initRepository(target);
  const workspace = join(dir, 'workspace');
  return { dir, target, workspace, dbPath: join(workspace, DATABASE_FILE) };
}

function run<R>(what: string, job: SessionJob, pick: (m: SessionMessage) => R | undefined, killWhen?: (m: SessionMessage) => boolean): Promise<R> {
  return forkRunner<SessionMessage, R>({ script: SESSION_RUNNER, job, what, deadlineMs: SESSION_TIMEOUT_MS + RUNNER_SLACK_MS, killWhen }, pick);
}

// Waits (bounded) for the agents of a killed orchestrator to be stopped by its watchdog, then kills
// what is left; returns how many groups outlived the wait.
async function awaitWatchdog(): Promise<number> {
  const deadline = Date.now() + WATCHDOG_WAIT_MS;
  while (liveGroups().length > 0 && Date.now() < deadline) await sleep(50);
  const left = liveGroups().length;
  killGroups();
  return left;
}

interface Interrupted {
  sessionId: string;
  /** Events stored after the kill. */
  stored: number;
  phaseId: string;
  agent: AgentName;
  /** Agent groups the watchdog had not stopped within WATCHDOG_WAIT_MS (killed by the bench). */
  outlived: number;
  dbBytes: number;
}

// Checks what the kill left in the database: enough events, the session not ended, its phase open.
function inspectInterrupted(place: Place, sessionId: string, minEvents: number): { stored: number; phaseId: string; agent: AgentName } {
  const db = openDatabase(place.dbPath, { readonly: true });
  let events: LogEntry[];
  try {
    events = readEvents(db, sessionId);
  } finally {
    db.close();
  }
  const stored = events.at(-1)?.seq ?? 0;
  if (stored < minEvents) throw new BenchError(`the interrupted session has ${int(stored)} stored events, fewer than the ${int(minEvents)} it was killed after`);
  if (events.some((e) => e.type === 'session.finished')) throw new BenchError('the session finished before the kill landed: nothing to resume');
  const started = events.filter((e): e is Extract<LogEntry, { type: 'phase.started' }> => e.type === 'phase.started').at(-1);
  if (!started) throw new BenchError('the session was killed before its first phase started');
  if (events.some((e) => e.type === 'phase.finished' && e.phaseId === started.phaseId)) {
    throw new BenchError(`the kill landed between phases (after ${started.phaseId} finished), not mid-phase`);
  }
  const phases = createDefaultPlan().phases;
  if (started.phaseId !== phases.at(-1)?.id) {
    throw new BenchError(`the kill landed in phase ${started.phaseId}; the bench sizes the session so that it lands in the last phase, ${phases.at(-1)?.id}`);
  }
  return { stored, phaseId: started.phaseId, agent: started.agent };
}

function dbSize(place: Place): number {
  return ['', '-wal'].reduce((sum, suffix) => sum + (existsSync(`${place.dbPath}${suffix}`) ? statSync(`${place.dbPath}${suffix}`).size : 0), 0);
}

// Runs the session measurements in `scratchDir` and returns the report's lines.
export async function benchSessions(options: SessionBenchOptions, scratchDir: string, log: (line: string) => void): Promise<string[]> {
  const out: string[] = [];
  // A phase prints 3/8 of the kill threshold in events, so the kill lands two thirds into the last phase.
  const eventsPerPhase = Math.ceil((options.events * 3) / 8);
  // Each tool call adds about 2.5 events (call, result, and for some vendors a file change).
  const messagesPerPhase = Math.round(eventsPerPhase / (1 + 2.5 / MESSAGES_PER_TOOL_CALL));
  const longFile = join(scratchDir, 'session-long.json');
  const shortFile = join(scratchDir, 'session-short.json');
  writeFileSync(longFile, JSON.stringify(longScenario(messagesPerPhase)));
  writeFileSync(shortFile, JSON.stringify({ description: 'orchestrate bench: a short phase', steps: SHORT_STEPS }));
  const toolCallsPerPhase = Math.ceil(messagesPerPhase / MESSAGES_PER_TOOL_CALL);
  log(
    `sessions: the default plan of three phases on simulated agents, each phase ${int(messagesPerPhase)} assistant messages and ` +
      `${int(toolCallsPerPhase)} tool calls (${int(Math.floor(toolCallsPerPhase / SHELL_EVERY))} of them shell commands)`,
  );

  let full: { place: Place; sessionId: string } | undefined;
  if (options.replay) {
    const place = await makePlace(join(scratchDir, 'recorded'));
    const job: SessionJob = { mode: 'record', scratchDir, timeoutMs: SESSION_TIMEOUT_MS, task: TASK, scenarioFile: longFile, target: place.target, workspace: place.workspace };
    const recorded = await run('recording a session', job, (m) => (m.type === 'recorded' ? m : undefined));
    if (recorded.status !== 'completed') throw new BenchError(`the recorded session ended ${recorded.status}, not completed`);
    log(`  recorded a session of ${int(recorded.lastSeq)} events in ${fixed(recorded.ms / 1000, 1)} s`);
    full = { place, sessionId: recorded.sessionId };
  }

  let resumed: { place: Place; sessionId: string } | undefined;
  const opens: Opened[] = [];
  const resumes: Resumed[] = [];
  const freshes: Fresh[] = [];
  let interrupted: Interrupted | undefined;
  if (options.resume) {
    const place = await makePlace(join(scratchDir, 'interrupted'));
    const saved = join(scratchDir, 'interrupted-saved');
    const job: SessionJob = {
      mode: 'record',
      scratchDir,
      timeoutMs: SESSION_TIMEOUT_MS,
      task: TASK,
      scenarioFile: longFile,
      target: place.target,
      workspace: place.workspace,
      killAtSeq: options.events,
    };
    const reached = await run(
      'the session to interrupt',
      job,
      (m) => (m.type === 'reached' || m.type === 'recorded' ? m : undefined),
      (m) => m.type === 'reached',
    );
    if (reached.type === 'recorded') throw new BenchError(`the session to interrupt ended at seq ${int(reached.lastSeq)}, before ${int(options.events)} events were committed`);
    if (reached.type !== 'reached') throw new BenchError('the session to interrupt reported nothing');
    const outlived = await awaitWatchdog();
    const { stored, phaseId, agent } = inspectInterrupted(place, reached.sessionId, options.events);
    interrupted = { sessionId: reached.sessionId, stored, phaseId, agent, outlived, dbBytes: dbSize(place) };
    log(
      `  SIGKILLed the orchestrator once seq ${int(reached.seq)} was committed, in phase ${phaseId}; ${int(stored)} events stored, database ${mb(interrupted.dbBytes)} MB`,
    );
    // Every round starts from this very state: the repository, the worktree, the database and its WAL.
    cpSync(place.dir, saved, { recursive: true });
    const restore = () => {
      rmSync(place.dir, { recursive: true, force: true });
      cpSync(saved, place.dir, { recursive: true });
    };
    const freshPlace = await makePlace(join(scratchDir, 'fresh'));
    const agentCwd = join(scratchDir, 'agent-alone');
    mkdirSync(agentCwd, { recursive: true });
    for (let round = 0; round <= options.runs; round++) {
      // Round 0 warms up the file cache and the sim's start; it is not reported.
      restore();
      const opened = await run(
        'the resume baseline (open, last seq, latest snapshot)',
        {
          mode: 'open',
          scratchDir,
          timeoutMs: SESSION_TIMEOUT_MS,
          workspace: place.workspace,
          sessionId: interrupted.sessionId,
          agent: interrupted.agent,
          scenarioFile: shortFile,
          cwd: agentCwd,
        },
        (m) => (m.type === 'opened' ? m.opened : undefined),
      );
      restore();
      const back = await run(
        'the resume',
        { mode: 'resume', scratchDir, timeoutMs: SESSION_TIMEOUT_MS, workspace: place.workspace, sessionId: interrupted.sessionId },
        (m) => (m.type === 'resumed' ? m.resumed : undefined),
      );
      if (back.status !== 'completed') throw new BenchError(`the resumed session ended ${back.status}, not completed`);
      const workspace = join(freshPlace.dir, `workspace-${round}`);
      const started = await run(
        'the fresh session',
        { mode: 'fresh', scratchDir, timeoutMs: SESSION_TIMEOUT_MS, task: TASK, scenarioFile: shortFile, phaseId, target: freshPlace.target, workspace },
        (m) => (m.type === 'fresh' ? m.fresh : undefined),
      );
      if (started.status !== 'completed') throw new BenchError(`the fresh session ended ${started.status}, not completed`);
      rmSync(workspace, { recursive: true, force: true });
      if (round === 0) continue;
      opens.push(opened);
      resumes.push(back);
      freshes.push(started);
      log(
        `  resume ${round}/${options.runs}: open + last seq + snapshot ${fixed(opened.totalMs, 1)} ms; resume → running ${fixed(back.firstAgentMs, 0)} ms, ` +
          `→ completed ${fixed(back.doneMs, 0)} ms; fresh → first agent event ${fixed(started.firstAgentMs, 0)} ms, → completed ${fixed(started.doneMs, 0)} ms`,
      );
    }
    // The last round left a session that was killed, resumed and completed: it is replayed too.
    resumed = { place, sessionId: interrupted.sessionId };
  }

  let replayRows: ReplayRow[] = [];
  if (options.replay && full) {
    const sessions = [{ label: 'recorded session', dbPath: full.place.dbPath, sessionId: full.sessionId }];
    if (resumed) sessions.push({ label: 'killed and resumed session', dbPath: resumed.place.dbPath, sessionId: resumed.sessionId });
    const job: SessionJob = { mode: 'replay', scratchDir, timeoutMs: SESSION_TIMEOUT_MS, sessions, rounds: options.replayRuns };
    replayRows = await run('the replay', job, (m) => (m.type === 'replayed' ? m.rows : undefined));
  }

  if (replayRows.length > 0) out.push(...replayReport(replayRows, options.replayRuns));
  if (interrupted) out.push(...resumeReport(interrupted, opens, resumes, freshes));
  return out;
}

const perSecond = (events: number, ms: number): number => events / (ms / 1000);

function replayReport(rows: ReplayRow[], runs: number): string[] {
  const out: string[] = [
    '',
    `Replay: replaySession(entries, { speed: 0 }) against reading the same events; median of ${runs} rounds in one process after a warm-up round`,
    '',
  ];
  const header = ['session', 'events', 'machine events', 'restores', 'MB as JSON', 'what', 'ms', 'range', 'CPU ms', 'events/s'];
  const body: string[][] = [];
  const ratios: string[][] = [];
  for (const row of rows) {
    const what: [string, number[], number[] | undefined][] = [
      ['readEvents (baseline)', row.readMs, undefined],
      ['JSON.stringify each (baseline)', row.stringifyMs, undefined],
      ['replaySession', row.replayMs, row.replayCpuMs],
    ];
    for (const [label, ms, cpu] of what) {
      const [lo, hi] = minMax(ms);
      body.push([
        row.label,
        int(row.events),
        int(row.machineEvents),
        String(row.restores),
        mb(row.bytes),
        label,
        fixed(median(ms), 1),
        `${fixed(lo, 1)}–${fixed(hi, 1)}`,
        cpu ? fixed(median(cpu), 1) : '–',
        int(perSecond(row.events, median(ms))),
      ]);
    }
    const replay = perSecond(row.events, median(row.replayMs));
    ratios.push([
      row.label,
      fixed(replay / perSecond(row.events, median(row.readMs)), 2),
      fixed(replay / perSecond(row.events, median(row.stringifyMs)), 2),
      int(perSecond(row.events, median(row.readMs) + median(row.replayMs))),
      fixed((median(row.replayMs) * 1000) / row.events, 2),
    ]);
  }
  out.push(markdownTable(header, body, [false, true, true, true, true, false, true, true, true, true]));
  out.push('');
  const ratioHeader = ['session', 'replay events/s ÷ readEvents', 'replay events/s ÷ JSON.stringify', 'read + replay events/s', 'replay µs/event'];
  out.push(markdownTable(ratioHeader, ratios, [false, true, true, true, true]));
  out.push('Every replay, the warm-up included, reached the fingerprint that the session recorded at its end.');
  return out;
}

function resumeReport(interrupted: Interrupted, opens: Opened[], resumes: Resumed[], freshes: Fresh[]): string[] {
  const snapshotSeq = median(opens.map((o) => o.snapshotSeq));
  const out: string[] = [
    '',
    `Resume: a session SIGKILLed in phase ${interrupted.phaseId} with ${int(interrupted.stored)} events stored (database ${mb(interrupted.dbBytes)} MB, ` +
      `latest snapshot at seq ${int(snapshotSeq)}, ${fixed(median(opens.map((o) => o.snapshotBytes)) / 1024, 1)} KB); ` +
      `each run in a fresh process from the same copy of that state; median of ${resumes.length} rounds after a warm-up round`,
    '',
  ];
  const rows: [string, number[]][] = [
    ['baseline: open the database (openWorkspaceStore)', opens.map((o) => o.openMs)],
    ['baseline: + last seq + latest snapshot', opens.map((o) => o.totalMs)],
    ['part alone: startWatchdog(), spawn → ready', opens.map((o) => o.watchdogMs)],
    [`part alone: the ${interrupted.agent} sim, spawn → first stdout line`, opens.map((o) => o.agentFirstLineMs)],
    ['baseline: fresh startSession() returned', freshes.map((f) => f.returnedMs)],
    ['baseline: fresh session → agents probed', freshes.map((f) => f.probedMs)],
    ['baseline: fresh session → first agent event', freshes.map((f) => f.firstAgentMs)],
    ['baseline: fresh one-phase session → completed', freshes.map((f) => f.doneMs)],
    ['resumeSession() returned', resumes.map((r) => r.returnedMs)],
    ['resume → session.restored committed', resumes.map((r) => r.restoredMs)],
    ['resume → relaunched agent\'s first event', resumes.map((r) => r.firstAgentMs)],
    ['resume → completed', resumes.map((r) => r.doneMs)],
  ];
  out.push(
    markdownTable(
      ['from the call', 'ms', 'range'],
      rows.map(([label, ms]) => {
        const [lo, hi] = minMax(ms);
        return [label, fixed(median(ms), 1), `${fixed(lo, 1)}–${fixed(hi, 1)}`];
      }),
      [false, true, true],
    ),
  );
  out.push('');
  const m = (values: number[]) => median(values);
  const running = m(resumes.map((r) => r.firstAgentMs));
  const least = m(opens.map((o) => o.totalMs));
  const ratios = [
    ['resume → running ÷ open + last seq + latest snapshot', fixed(running / least, 1)],
    ['resume → running ÷ fresh session → first agent event', fixed(running / m(freshes.map((f) => f.firstAgentMs)), 2)],
    ['resume → completed ÷ fresh one-phase session → completed', fixed(m(resumes.map((r) => r.doneMs)) / m(freshes.map((f) => f.doneMs)), 2)],
  ];
  out.push(markdownTable(['ratio', 'value'], ratios, [false, true]));
  const returned = m(resumes.map((r) => r.returnedMs));
  out.push(
    `Where resume → running goes (medians): resumeSession() returns after ${fixed(returned, 0)} ms, of which ${fixed(least, 0)} ms is the database ` +
      `and ${fixed(m(opens.map((o) => o.watchdogMs)), 0)} ms the watchdog's start (measured alone); start() appends session.restored, committed ` +
      `${fixed(m(resumes.map((r) => r.restoredMs)) - returned, 0)} ms later; the agent is spawned ${fixed(m(resumes.map((r) => r.restoreToSpawnMs)), 0)} ms ` +
      `after the append and prints its first event ${fixed(m(resumes.map((r) => r.spawnToFirstEventMs)), 0)} ms after its spawn ` +
      `(the sim alone: ${fixed(m(opens.map((o) => o.agentFirstLineMs)), 0)} ms), which is committed ${fixed(m(resumes.map((r) => r.commitLagMs)), 0)} ms later.`,
  );
  const reaped = m(resumes.map((r) => r.reaped));
  out.push(
    `Each resume restored the snapshot at seq ${int(m(resumes.map((r) => r.snapshotSeq)))}, reaped ${int(reaped)} leftover process groups, ` +
      `relaunched the ${interrupted.phaseId} agent with its vendor's resume and ended completed at seq ${int(m(resumes.map((r) => r.endSeq)))}.`,
  );
  if (interrupted.outlived > 0) {
    out.push(`note: ${interrupted.outlived} agent process groups were still alive ${WATCHDOG_WAIT_MS / 1000} s after the kill; the bench killed them.`);
  }
  return out;
}
