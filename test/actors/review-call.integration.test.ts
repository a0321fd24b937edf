/*
 * The reviewCall actor through real processes: the simulated agent, started with each vendor's review
 * invocation, answering from a scenario's `review` steps.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { createReviewCallLogic, type ReviewCallDeps } from '../../src/actors/review-call.js';
import { ADAPTERS } from '../../src/adapters/agents/index.js';
import { AGENT_NAMES, type AgentName, type LogEntry, type ReviewerResult } from '../../src/domain/index.js';
import type { ReviewCallInput } from '../../src/machines/slots.js';
import { createEventLog } from '../../src/store/event-log.js';
import { requireBuilt, SIM_MAIN } from '../adapters/sim/helpers.js';
import { expectNoLeftovers, listGroupMembers, waitUntil } from '../support/processes.js';

const APPROVE = { verdict: 'approve', findings: [], summary: 'The change does what the task asks.' };
const CHANGES = {
  verdict: 'request_changes',
  findings: [{ severity: 'major', file: 'src/greet.js', line: 2, message: 'An empty name is not rejected.' }],
  summary: 'One bug to fix before this can go on.',
};

const dir = mkdtempSync(join(tmpdir(), 'orchestrate-review-call-'));
const worktree = join(dir, 'worktree');
let calls = 0;

beforeAll(() => {
  requireBuilt();
  mkdirSync(worktree);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Call {
  result: ReviewerResult;
  entries: LogEntry[];
  pgids: number[];
  elapsedMs: number;
}

// Deps for one call whose agent is the sim playing `agent` with the given review steps.
function setup(agent: AgentName, review: unknown[]) {
  const n = ++calls;
  const scenario = join(dir, `scenario-${n}.json`);
  writeFileSync(scenario, JSON.stringify({ steps: [{ say: 'not a review' }], review }));
  const log = createEventLog('s-review');
  const entries: LogEntry[] = [];
  log.subscribe((entry) => entries.push(entry));
  const pgids: number[] = [];
  const commands = Object.fromEntries(
    AGENT_NAMES.map((name) => [name, [process.execPath, SIM_MAIN, '--vendor', name, '--scenario', scenario, '--']]),
  );
  const deps: ReviewCallDeps = {
    adapters: ADAPTERS,
    commands,
    log,
    baseEnv: process.env,
    maxLineBytes: 1024 * 1024,
    stopGraceMs: 500,
    logDir: join(dir, `logs-${n}`),
    filesDir: join(dir, `files-${n}`),
    groups: { add: (pgid) => pgids.push(pgid), remove: () => {} },
  };
  const input: ReviewCallInput = {
    sessionId: 's-review',
    reviewId: `review:${n}`,
    agent,
    prompt: 'Review the work.',
    cwd: worktree,
    extraDirs: [],
    skipTrust: true,
    deadlineMs: 10_000,
  };
  return { deps, input, entries, pgids };
}

async function call(agent: AgentName, review: unknown[], deadlineMs = 10_000): Promise<Call> {
  const { deps, input, entries, pgids } = setup(agent, review);
  const started = Date.now();
  const actor = createActor(createReviewCallLogic(deps), { input: { ...input, deadlineMs } }).start();
  const result = await toPromise(actor);
  return { result, entries, pgids, elapsedMs: Date.now() - started };
}

describe('reviewCall actor', () => {
  it.each(AGENT_NAMES)('%s: an approving answer is answered, with every event logged under review:<n>:<agent>', async (agent) => {
    const { result, entries, pgids } = await call(agent, [{ say: 'Reading the diff.' }, { answer: APPROVE }]);
    expect(result).toEqual({ status: 'answered', agent, answer: APPROVE });
    const workerIds = new Set(entries.map((entry) => entry.workerId));
    expect([...workerIds]).toEqual([`review:${calls}:${agent}`]);
    const types = entries.map((entry) => entry.type);
    expect(types[0]).toBe('process.spawned');
    expect(types).toEqual(expect.arrayContaining(['agent.started', 'agent.message', 'agent.result', 'agent.exited']));
    expect(entries.at(-1)).toMatchObject({ type: 'review.answered', reviewId: `review:${calls}`, agent, result });
    await expectNoLeftovers(pgids);
  });

  it('claude: the answer comes as structured_output when --json-schema is on the command line', async () => {
    const { entries } = await call('claude', [{ answer: CHANGES }]);
    expect(entries.find((entry) => entry.type === 'agent.toolCall')).toMatchObject({ tool: 'StructuredOutput' });
    expect(entries.find((entry) => entry.type === 'agent.result')).toMatchObject({ output: CHANGES });
  });

  it('codex: the schema file named on the command line was written with the answer schema', async () => {
    const { deps, input } = setup('codex', [{ answer: APPROVE }]);
    await toPromise(createActor(createReviewCallLogic(deps), { input }).start());
    const file = join(deps.filesDir, `${input.reviewId.replace(':', '_')}_codex`, 'codex-answer.schema.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ required: ['verdict', 'findings', 'summary'] });
  });

  it('a request for changes is answered with its findings', async () => {
    const { result } = await call('codex', [{ answer: CHANGES }]);
    expect(result).toEqual({ status: 'answered', agent: 'codex', answer: CHANGES });
  });

  it('garbage is recorded as invalid (not_json), with what the reviewer said', async () => {
    const { result, entries } = await call('gemini', [{ answer: 'Looks fine to me, ship it.' }]);
    expect(result).toMatchObject({ status: 'invalid', agent: 'gemini', reason: 'not_json', preview: 'Looks fine to me, ship it.' });
    expect(entries.at(-1)).toMatchObject({ type: 'review.answered', result });
  });

  it('a 400-word summary is recorded as invalid (too_long), never cut to fit', async () => {
    const summary = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const { result } = await call('claude', [{ answer: { ...APPROVE, summary } }]);
    expect(result).toMatchObject({ status: 'invalid', agent: 'claude', reason: 'too_long', detail: expect.stringContaining('400 words') });
    if (result.status === 'invalid') expect(result.preview).toMatch(/^\{"verdict":"approve"/);
  });

  it('a reviewer that hangs times out at its deadline, and its whole process group is gone', async () => {
    const hang = [{ shell: { command: 'sleep 30 >/dev/null 2>&1 &' } }, { say: 'Thinking.' }, { hang: true }];
    const { result, pgids, elapsedMs } = await call('codex', hang, 1_500);
    expect(result).toEqual({ status: 'timed_out', agent: 'codex', afterMs: 1_500 });
    expect(elapsedMs).toBeGreaterThanOrEqual(1_500);
    expect(elapsedMs).toBeLessThan(4_000);
    expect(pgids).toHaveLength(1);
    await expectNoLeftovers(pgids, 500);
  });

  it('a crash is a failure with a classified code', async () => {
    const { result } = await call('claude', [{ say: 'Reading.' }, { crash: { code: 3 } }]);
    expect(result).toMatchObject({ status: 'failed', agent: 'claude', code: 'AGENT_CRASHED' });
  });

  it('a vendor failure keeps its own code', async () => {
    const { result } = await call('gemini', [{ fail: { kind: 'auth' } }]);
    expect(result).toMatchObject({ status: 'failed', agent: 'gemini', code: 'AGENT_NOT_AUTHENTICATED' });
  });

  it('a missing binary is a failure, not a rejection', async () => {
    const { deps, input } = setup('codex', []);
    deps.commands = { codex: [join(dir, 'no-such-codex')] };
    const result = await toPromise(createActor(createReviewCallLogic(deps), { input }).start());
    expect(result).toMatchObject({ status: 'failed', agent: 'codex', code: 'AGENT_NOT_INSTALLED' });
  });

  it('stopping the actor stops the reviewer and its process group, and records no answer', async () => {
    const { deps, input, entries, pgids } = setup('gemini', [{ shell: { command: 'sleep 30 >/dev/null 2>&1 &' } }, { hang: true }]);
    const actor = createActor(createReviewCallLogic(deps), { input }).start();
    await waitUntil(() => entries.some((entry) => entry.type === 'agent.toolResult'), 5_000, 'the reviewer to start its background job');
    expect(listGroupMembers(pgids[0]!).length).toBeGreaterThanOrEqual(2);
    actor.stop();
    await expectNoLeftovers(pgids);
    await waitUntil(() => entries.some((entry) => entry.type === 'agent.exited'), 2_000, 'the exit to be logged');
    expect(entries.some((entry) => entry.type === 'review.answered')).toBe(false);
  });
});
