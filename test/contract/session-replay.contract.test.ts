/*
 * Contract: a whole orchestrate session on the three REAL agent CLIs, then its replay.
 *
 * startSession runs the default plan (Gemini designs, Claude implements, Codex validates) in a
 * fresh repository, each CLI pointed at its own loopback fake provider playing the "full" scenario
 * (shell command, file write, edit, final text) inside the session's worktree. The events stored in
 * the workspace database are then replayed with no agent and no model: the machines must reach
 * exactly the end state the live session recorded.
 *
 * Needs the pinned CLIs (scripts/install-agent-clis.sh) and the built watchdog (`npm run build`).
 * ORCHESTRATE_CONTRACT_DEBUG=1 prints each session; ORCHESTRATE_KEEP_CONTRACT_RUNS=1 keeps its
 * directories under .cache/contract-runs/.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_NAMES, ConfigFileSchema, createDefaultPlan, type AgentName, type LogEntry, type SessionSummary } from '../../src/domain/index.js';
import { replaySession } from '../../src/runtime/replay.js';
import { startSession } from '../../src/runtime/start-session.js';
import { openDatabase } from '../../src/store/database.js';
import { readEvents } from '../../src/store/event-reader.js';
import { requireAgentCli } from '../support/agent-clis.js';
import { startMockProvider, type MockMode, type MockProvider } from '../support/mock-provider.js';
import { expectNoLeftovers } from '../support/processes.js';
import { makeSessionSandbox, sessionEnv } from './session-env.js';

/** The whole test, session and replay included. */
const TEST_TIMEOUT_MS = 120_000;
/** The session is stopped if it has not ended by then. */
const SESSION_LIMIT_MS = 100_000;

const TASK = 'Run the scripted shell command, then create the file and edit it.';
/** The models of the vendor contract suites, so each adapter's model flag is exercised too. */
const MODELS: Record<AgentName, string> = { claude: 'claude-sonnet-4-5', codex: 'gpt-5.5', gemini: 'gemini-2.5-flash' };
/** Vendor session / thread ids: never our own worker ids or placeholders. */
const VENDOR_ID = /^[0-9a-zA-Z][0-9a-zA-Z_-]{7,}$/;

interface RecordedSession {
  summary: SessionSummary;
  /** The events the workspace database holds for the session. */
  stored: LogEntry[];
  worktree: string;
  providers: Record<AgentName, MockProvider>;
  /** A dump for assertion messages. */
  why: string;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  const errors: unknown[] = [];
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()?.();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
});

function ofType<T extends LogEntry['type']>(entries: readonly LogEntry[], type: T): Extract<LogEntry, { type: T }>[] {
  return entries.filter((e): e is Extract<LogEntry, { type: T }> => e.type === type);
}

function describeSession(summary: SessionSummary | undefined, stored: readonly LogEntry[], providers: Record<AgentName, MockProvider>): string {
  const events = stored
    .filter((e) => e.type !== 'agent.message' && e.type !== 'agent.usage')
    .map((e) => {
      const text = JSON.stringify(e.type === 'session.started' ? { ...e, input: '…' } : e);
      return text.length > 600 ? `${text.slice(0, 600)}…` : text;
    });
  const requests = AGENT_NAMES.map((a) => `${a}: ${providers[a].requests.map((q) => `${q.method} ${q.url} -> ${q.answer}`).join(', ')}`);
  return [
    '',
    `--- summary\n${JSON.stringify(summary, null, 2)}`,
    `--- stored events (without messages and usage)\n${events.join('\n')}`,
    `--- provider requests\n${requests.join('\n')}`,
    '',
  ].join('\n');
}

/**
 * Runs one session of the default plan on the three real CLIs, each against its own fake in the
 * given mode, and reads back what the store holds. Registers the cleanup of everything it made.
 */
/** What every fake reviewer answers in these sessions: each phase is reviewed by the other two CLIs and approved. */
const APPROVAL = { verdict: 'approve', findings: [], summary: 'The change does what the phase asked.' };

async function recordSession(modes: Partial<Record<AgentName, MockMode>> = {}): Promise<RecordedSession> {
  const commands = Object.fromEntries(AGENT_NAMES.map((agent) => [agent, requireAgentCli(agent).command])) as Record<AgentName, string[]>;
  const sandbox = makeSessionSandbox();
  cleanups.push(() => sandbox.cleanup());

  const providers = {} as Record<AgentName, MockProvider>;
  for (const agent of AGENT_NAMES) {
    // One file per agent, so the three phases do not write over each other in the shared worktree.
    const provider = await startMockProvider({ scenario: 'full', mode: modes[agent] ?? 'ok', fileName: `${agent}-hello.txt`, answerReviews: true, reviewVerdict: APPROVAL });
    cleanups.push(() => provider.close());
    providers[agent] = provider;
  }

  const config = ConfigFileSchema.parse({
    agents: Object.fromEntries(AGENT_NAMES.map((agent) => [agent, { command: commands[agent], model: MODELS[agent] }])),
    timeouts: { idleSeconds: 45, phaseSeconds: 60, stopGraceSeconds: 1 },
    // Gemini's sandbox needs a container runtime, which this machine has not: the sessions here are about
    // the CLIs' streams and their replay, so the agents run without their sandboxes (sandbox.contract.test.ts covers those).
    policy: { sandbox: 'off' },
  });
  const session = await startSession({
    task: TASK,
    target: sandbox.target,
    workspace: sandbox.workspace,
    config,
    plan: createDefaultPlan(),
    agents: [...AGENT_NAMES],
    env: sessionEnv(sandbox, providers),
    watchdogScript: path.resolve('dist/adapters/process/watchdog-main.js'),
    mcpServerScript: path.resolve('dist/adapters/mcp/server-main.js'),
  });
  // The agents run in the session's worktree, not in the target: the fakes' scripted paths go there.
  for (const agent of AGENT_NAMES) providers[agent].workdir = session.worktree;

  const live: LogEntry[] = [];
  session.log.subscribe((entry) => live.push(entry));
  cleanups.push(() => expectNoLeftovers(ofType(live, 'process.spawned').map((e) => e.pgid)));

  const started = Date.now();
  session.start();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'limit'>((resolve) => {
    timer = setTimeout(() => resolve('limit'), SESSION_LIMIT_MS);
  });
  const first = await Promise.race([session.done, limit]);
  clearTimeout(timer);
  if (first === 'limit') {
    session.stop();
    await session.done.catch(() => undefined);
    throw new Error(`the session did not end within ${SESSION_LIMIT_MS} ms${describeSession(undefined, live, providers)}`);
  }
  const summary = first;

  const db = openDatabase(path.join(sandbox.workspace, 'orchestrate.db'), { readonly: true });
  let stored: LogEntry[];
  try {
    stored = readEvents(db, session.sessionId);
  } finally {
    db.close();
  }
  const why = describeSession(summary, stored, providers);
  if (process.env.ORCHESTRATE_CONTRACT_DEBUG === '1') console.log(`session ${session.sessionId} took ${Date.now() - started} ms${why}`);
  return { summary, stored, worktree: session.worktree, providers, why };
}

/** A phase's worker, not a reviewer (`review:<n>:<agent>`). */
const ofWorker = (entry: LogEntry) => entry.workerId.startsWith('worker:');

/** The workers that started an agent process, in order; reviewers' processes left out. */
function workersSpawned(stored: LogEntry[]): string[] {
  return ofType(stored, 'process.spawned').filter(ofWorker).map((e) => e.workerId);
}

/** Every worker that got as far as its vendor's session start reported a real vendor id. */
function expectVendorSessionIds(recorded: RecordedSession, workers: readonly string[]): void {
  for (const workerId of workers) {
    const started = ofType(recorded.stored, 'agent.started').filter((e) => e.workerId === workerId);
    expect(started.length, `agent.started of ${workerId}${recorded.why}`).toBeGreaterThanOrEqual(1);
    expect(started[0]?.vendorSessionId, `vendor session id of ${workerId}${recorded.why}`).toMatch(VENDOR_ID);
    expect(started[0]?.vendorSessionId, `vendor session id of ${workerId}${recorded.why}`).not.toContain('worker');
  }
}

/** The agent went through the whole script, and its file was written and edited in the worktree. */
function expectFullScript(recorded: RecordedSession, agent: AgentName): void {
  const provider = recorded.providers[agent];
  expect(provider.requests.map((q) => q.answer), `${agent} requests${recorded.why}`).toEqual(
    expect.arrayContaining(['main:0', 'main:1', 'main:2', 'main:3']),
  );
  const file = path.join(recorded.worktree, provider.fileName);
  expect(existsSync(file), `${provider.fileName} in the worktree${recorded.why}`).toBe(true);
  expect(readFileSync(file, 'utf8'), `${provider.fileName}${recorded.why}`).toBe(provider.fileContents.edited);
}

async function expectReplayReachesRecordedEnd(recorded: RecordedSession): Promise<void> {
  const result = await replaySession(recorded.stored, { speed: 0 });
  expect(result.recorded, `a recorded fingerprint${recorded.why}`).toBeDefined();
  expect(result.fingerprint, `the replay's end state${recorded.why}`).toEqual(result.recorded);
  expect(result.fingerprint.output?.status).toBe('completed');
}

describe('a session on the real CLIs (against the fake providers), replayed', () => {
  it('runs the default plan on all three CLIs and the replay reaches the recorded end', async () => {
    const recorded = await recordSession();
    const { summary, stored, why } = recorded;

    expect(summary.status, why).toBe('completed');
    expect(
      summary.phases.map((p) => ({ id: p.id, status: p.status, agent: p.agent, attempts: p.attempts.length })),
      why,
    ).toEqual([
      { id: 'design', status: 'done', agent: 'gemini', attempts: 1 },
      { id: 'implement', status: 'done', agent: 'claude', attempts: 1 },
      { id: 'validate', status: 'done', agent: 'codex', attempts: 1 },
    ]);
    expect(summary.tierPath.map((t) => t.to), why).toEqual(['trio']);

    const workers = ['worker:design', 'worker:implement', 'worker:validate'];
    expect(workersSpawned(stored), why).toEqual(workers);
    expectVendorSessionIds(recorded, workers);
    const ids = ofType(stored, 'agent.started').filter(ofWorker).map((e) => e.vendorSessionId);
    expect(new Set(ids).size, `one vendor session per worker${why}`).toBe(workers.length);
    expect(ofType(stored, 'agent.result').filter(ofWorker).map((e) => [e.workerId, e.success]), why).toEqual(workers.map((w) => [w, true]));

    // Each phase was reviewed by the two other real CLIs, read-only, and each approved.
    expect(ofType(stored, 'review.started').map((e) => [e.phaseId, e.author, [...e.reviewers].sort()]), why).toEqual([
      ['design', 'gemini', ['claude', 'codex']],
      ['implement', 'claude', ['codex', 'gemini']],
      ['validate', 'codex', ['claude', 'gemini']],
    ]);
    expect(ofType(stored, 'review.answered').map((e) => e.result.status), why).toEqual(Array(6).fill('answered'));
    expect(ofType(stored, 'review.decided').map((e) => e.decision.rule), why).toEqual(['all_approve', 'all_approve', 'all_approve']);

    // Each CLI did its real work in the session worktree, and its phase's checkpoint committed it.
    const owners: Record<string, AgentName> = { design: 'gemini', implement: 'claude', validate: 'codex' };
    for (const phase of summary.phases) {
      const agent = owners[phase.id] as AgentName;
      expectFullScript(recorded, agent);
      expect(phase.files, `files of ${phase.id}${why}`).toContain(recorded.providers[agent].fileName);
    }

    await expectReplayReachesRecordedEnd(recorded);
    await expectNoLeftovers(ofType(stored, 'process.spawned').map((e) => e.pgid));
  }, TEST_TIMEOUT_MS);

  it('a 401 from Codex drops the tier, Claude takes the validation, and the replay reaches the recorded end', async () => {
    const recorded = await recordSession({ codex: 'http401' });
    const { summary, stored, why } = recorded;

    expect(recorded.providers.codex.requests.some((q) => q.answer === '401'), `Codex's fake answered 401${why}`).toBe(true);
    expect(summary.status, why).toBe('completed');
    expect(summary.phases.map((p) => ({ id: p.id, status: p.status, agent: p.agent })), why).toEqual([
      { id: 'design', status: 'done', agent: 'gemini' },
      { id: 'implement', status: 'done', agent: 'claude' },
      { id: 'validate', status: 'done', agent: 'claude' },
    ]);
    const validate = summary.phases[2];
    expect(validate?.attempts.map((a) => a.agent), why).toEqual(['codex', 'claude']);
    expect(validate?.attempts[0]?.failure, why).toMatch(/^AGENT_NOT_AUTHENTICATED\b/);
    expect(validate?.attempts[1]?.status, why).toBe('done');
    expect(summary.tierPath.map((t) => t.to), why).toEqual(['trio', 'gemini-claude']);
    expect(summary.unavailable.codex, why).toMatch(/AGENT_NOT_AUTHENTICATED/);

    // The failure is Codex's own report of the 401, normalized, not a crash or a timeout.
    const codexErrors = ofType(stored, 'agent.error').filter((e) => e.workerId === 'worker:validate');
    expect(codexErrors.map((e) => e.code), why).toContain('AGENT_NOT_AUTHENTICATED');
    expect(ofType(stored, 'process.idle'), why).toEqual([]);

    const workers = ['worker:design', 'worker:implement', 'worker:validate', 'worker:validate:2'];
    expect(workersSpawned(stored), why).toEqual(workers);
    // Codex's 401 as a reviewer is recorded as the reviewer's failure; Claude's approval carries the reviews.
    const codexReviews = ofType(stored, 'review.answered').filter((e) => e.agent === 'codex');
    expect(codexReviews.map((e) => e.result), why).toEqual(codexReviews.map(() => expect.objectContaining({ status: 'failed', code: 'AGENT_NOT_AUTHENTICATED' })));
    expect(ofType(stored, 'review.decided').every((e) => e.decision.action === 'continue'), why).toBe(true);
    expectVendorSessionIds(recorded, ['worker:design', 'worker:implement', 'worker:validate:2']);
    // Claude's second run replays its script on the file of its first one: its own Write and Edit tools
    // refuse a file this conversation has not read, which the run reports and gets past. Its first
    // run's edit stands.
    expectFullScript(recorded, 'gemini');
    expectFullScript(recorded, 'claude');

    await expectReplayReachesRecordedEnd(recorded);
    await expectNoLeftovers(ofType(stored, 'process.spawned').map((e) => e.pgid));
  }, TEST_TIMEOUT_MS);
});
