import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/domain/index.js';
import { replaySession } from '../../src/runtime/replay.js';
import { waitUntil } from '../support/processes.js';
import { singlePhasePlan, startSimSession, type SimSession, type SimSessionOptions } from '../support/sim-session.js';

/*
 * Review cycles through real processes: a simulated implementer (Claude) works, simulated reviewers
 * (Codex, Gemini) are started read-only with the review command lines, answer in their vendor's
 * format, and the decision policy acts on what they said.
 */

let current: SimSession | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

const approve = { answer: { verdict: 'approve', findings: [], summary: 'Does what the phase asked.' } };
const changes = { answer: { verdict: 'request_changes', findings: [{ severity: 'major', file: 'out.txt', line: 1, message: 'say goodbye too' }], summary: 'Almost.' } };
const block = { answer: { verdict: 'block', findings: [{ severity: 'critical', file: null, line: null, message: 'deletes the repository' }], summary: 'Must not go on.' } };
const work = { steps: [{ say: 'working' }, { write: { path: 'out.txt', content: 'hello\n' } }, { say: 'all done' }] };

async function start(options: SimSessionOptions): Promise<SimSession> {
  current = await startSimSession({ plan: singlePhasePlan('claude'), agents: ['claude', 'codex', 'gemini'], review: { enabled: true }, ...options });
  return current;
}

const ofType = <T extends LogEntry['type']>(entries: LogEntry[], type: T) => entries.filter((e): e is Extract<LogEntry, { type: T }> => e.type === type);

describe('review cycles with simulated agents', () => {
  it('approves: both other agents review read-only and in parallel, the session goes on, the records are kept', async () => {
    const { session, entries } = await start({ scenarios: { claude: work, codex: { ...work, review: [approve] }, gemini: { ...work, review: [approve] } } });
    const summary = await session.done;
    expect(summary.status).toBe('completed');
    const [started] = ofType(entries, 'review.started');
    expect(started).toMatchObject({ reviewId: 'review:1', trigger: 'phase.finished', author: 'claude', reviewers: ['codex', 'gemini'] });
    expect(ofType(entries, 'review.diff')[0]!.diff.files.map((f) => f.path)).toContain('out.txt');
    expect(ofType(entries, 'review.answered').map((e) => [e.agent, e.result.status]).sort()).toEqual([['codex', 'answered'], ['gemini', 'answered']]);
    expect(ofType(entries, 'review.decided')[0]!.decision).toMatchObject({ action: 'continue', rule: 'all_approve' });
    // Each reviewer was its own process, started with the vendor's read-only flags.
    const reviewers = ofType(entries, 'process.spawned').filter((e) => e.workerId.startsWith('review:1:'));
    expect(reviewers.map((e) => e.workerId).sort()).toEqual(['review:1:codex', 'review:1:gemini']);
    expect(summary.reviews).toEqual([expect.objectContaining({ id: 'review:1', decision: expect.objectContaining({ action: 'continue', rule: 'all_approve' }) })]);
    expect(session.store.listReviews(session.sessionId)).toHaveLength(1);
    expect(session.store.listDecisions(session.sessionId)[0]!.body).toMatchObject({ reviewId: 'review:1', rule: 'all_approve', inputs: { round: 0, maxRounds: 2 } });
  });

  it('requests changes: the author revises in its own conversation, the revision is reviewed and approved', async () => {
    const { session, entries } = await start({
      agents: ['claude', 'codex'],
      scenarios: { claude: work, codex: { ...work, reviews: [[changes], [approve]] } },
    });
    expect((await session.done).status).toBe('completed');
    expect(ofType(entries, 'review.decided').map((e) => [e.reviewId, e.decision.action])).toEqual([
      ['review:1', 'revise'],
      ['review:2', 'continue'],
    ]);
    const started = ofType(entries, 'agent.started').filter((e) => e.workerId.startsWith('worker:implement'));
    expect(started.map((e) => e.workerId)).toEqual(['worker:implement', 'worker:implement:2']);
    // The sim echoes a resumed conversation's id: the revision continued the author's own.
    expect(started[1]!.vendorSessionId).toBe(started[0]!.vendorSessionId);
    expect(ofType(entries, 'review.started').map((e) => e.round)).toEqual([0, 1]);
  });

  it('escalates a critical block; a person approves and the session goes on', async () => {
    const { session, entries } = await start({ agents: ['claude', 'codex'], scenarios: { claude: work, codex: { ...work, review: [block] } } });
    await waitUntil(() => ofType(entries, 'approval.requested').length === 1, 20_000, 'the escalation');
    expect(ofType(entries, 'approval.requested')[0]).toMatchObject({ approvalId: 'review:1', reason: expect.stringContaining('codex blocked the work') });
    session.control({ type: 'approval.answer', approvalId: 'review:1', approve: true });
    expect((await session.done).status).toBe('completed');
    expect(ofType(entries, 'approval.answered')).toEqual([expect.objectContaining({ approvalId: 'review:1', approve: true })]);
  });

  it('records a reviewer that times out and one that answers garbage, and escalates with no valid review', async () => {
    const { session, entries } = await start({
      review: { enabled: true, reviewerSeconds: 1 },
      scenarios: { claude: work, codex: { ...work, review: [{ hang: true }] }, gemini: { ...work, review: [{ answer: 'lol, looks fine to me' }] } },
    });
    await waitUntil(() => ofType(entries, 'approval.requested').length === 1, 20_000, 'the escalation');
    const results = Object.fromEntries(ofType(entries, 'review.answered').map((e) => [e.agent, e.result]));
    expect(results.codex).toMatchObject({ status: 'timed_out' });
    expect(results.gemini).toMatchObject({ status: 'invalid', reason: 'not_json', preview: 'lol, looks fine to me' });
    expect(ofType(entries, 'review.decided')[0]!.decision).toMatchObject({ action: 'escalate', rule: 'unresolved' });
    session.control({ type: 'approval.answer', approvalId: 'review:1', approve: false });
    expect(await session.done).toMatchObject({ status: 'failed', reason: expect.stringContaining('a person denied going on') });
  });

  it('records a 400-word answer as too long', async () => {
    const long = { answer: { verdict: 'approve', findings: [], summary: 'fine '.repeat(400) } };
    const { session, entries } = await start({ agents: ['claude', 'codex'], review: { enabled: true, onUnresolved: 'continue' }, scenarios: { claude: work, codex: { ...work, review: [long] } } });
    expect((await session.done).status).toBe('completed');
    expect(ofType(entries, 'review.answered')[0]!.result).toMatchObject({ status: 'invalid', reason: 'too_long' });
    expect(ofType(entries, 'review.decided')[0]!.decision).toMatchObject({ action: 'continue', rule: 'unresolved', warning: true });
  });

  it('reviews work in progress when the agent reports a milestone with the text marker', async () => {
    const marking = { steps: [{ say: 'working' }, { marker: { kind: 'milestone', text: 'parser done' } }, { sleep: 1500 }, { say: 'all done' }] };
    const { session, entries } = await start({ agents: ['claude', 'codex'], scenarios: { claude: marking, codex: { ...work, review: [approve] } } });
    expect((await session.done).status).toBe('completed');
    expect(ofType(entries, 'agent.milestone')[0]).toMatchObject({ workerId: 'worker:implement', text: 'parser done', via: 'marker' });
    expect(ofType(entries, 'review.started').map((e) => e.trigger)).toEqual(['milestone', 'phase.finished']);
  });

  it('reviews work in progress when the agent reports a milestone through the MCP channel', async () => {
    const reporting = { steps: [{ mcp: { tool: 'report_milestone', arguments: { summary: 'parser done' } } }, { sleep: 1500 }, { say: 'all done' }] };
    const { session, entries } = await start({ agents: ['claude', 'codex'], scenarios: { claude: reporting, codex: { ...work, review: [approve] } } });
    expect((await session.done).status).toBe('completed');
    expect(ofType(entries, 'agent.milestone')[0]).toMatchObject({ workerId: 'worker:implement', text: 'parser done', via: 'mcp' });
    expect(ofType(entries, 'review.started').map((e) => [e.trigger, e.reviewers])).toEqual([
      ['milestone', ['codex']],
      ['phase.finished', ['codex']],
    ]);
  });

  it('replays a session with reviews, a revision and an escalation to the same end state', async () => {
    const { session } = await start({ agents: ['claude', 'codex'], scenarios: { claude: work, codex: { ...work, reviews: [[changes], [block]] } } });
    await waitUntil(() => session.actor.getSnapshot().matches({ active: { control: 'escalated' } }), 20_000, 'the escalation');
    session.control({ type: 'approval.answer', approvalId: 'review:2', approve: true });
    await session.done;
    const result = await replaySession(current!.storedEvents(), { speed: 0 });
    expect(result.fingerprint).toEqual(result.recorded);
    expect((result.fingerprint as { reviews?: unknown[] }).reviews).toHaveLength(2);
  });
});
