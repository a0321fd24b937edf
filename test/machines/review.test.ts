import { describe, expect, it } from 'vitest';
import { createActor, toPromise, waitFor } from 'xstate';
import { createDefaultPlan, type AgentName, type Finding, type ReviewerResult, type ReviewSettings, type Verdict } from '../../src/domain/index.js';
import { provideSessionActors, type AgentProcessInput, type ReviewCallInput, type ReviewDiffInput, type SessionInput } from '../../src/machines/index.js';
import {
  createFakeAgentProcess,
  createFakeCheckpoint,
  createFakeProbe,
  createFakeReviewCall,
  createFakeReviewDiff,
  succeed,
  type FakeReviewer,
  type FakeScript,
} from '../support/fake-actors.js';

const SETTINGS: ReviewSettings = { enabled: true, maxRounds: 2, reviewerTimeoutMs: 1000, intervalMs: 0, onUnresolved: 'escalate' };
const implementOnly = { phases: [createDefaultPlan().phases[1]!] };

const verdict = (agent: AgentName, value: Verdict, findings: Finding[] = []): FakeReviewer => ({
  result: { status: 'answered', agent, answer: { verdict: value, findings, summary: `${value} by ${agent}` } },
});
const critical: Finding = { severity: 'critical', file: 'db.ts', line: 1, message: 'drops the production table' };
const major: Finding = { severity: 'major', file: 'a.ts', line: 2, message: 'no test for the new branch' };

function runSession(options: {
  agents?: AgentName[];
  reviewers?: Partial<Record<AgentName, FakeReviewer | FakeReviewer[]>>;
  scripts?: Partial<Record<AgentName, FakeScript>>;
  settings?: Partial<ReviewSettings>;
}) {
  const workers: AgentProcessInput[] = [];
  const calls: ReviewCallInput[] = [];
  const diffs: ReviewDiffInput[] = [];
  const input: SessionInput = {
    sessionId: 's1',
    task: 'add a greeting',
    plan: implementOnly,
    agents: options.agents ?? ['claude', 'codex'],
    workers: { cwd: '/tmp/x', extraDirs: [], models: {}, idleTimeoutMs: 1000, wallTimeoutMs: 60_000, baseSha: 'base0' },
    review: { ...SETTINGS, ...options.settings },
  };
  const machine = provideSessionActors({
    agentProcess: createFakeAgentProcess(options.scripts ?? {}, [], workers),
    probeAgents: createFakeProbe({}),
    commitCheckpoint: createFakeCheckpoint(),
    reviewCall: createFakeReviewCall(options.reviewers ?? {}, calls),
    reviewDiff: createFakeReviewDiff(undefined, diffs),
  });
  const actor = createActor(machine, { input });
  actor.start();
  return { actor, workers, calls, diffs };
}

describe('review cycles in the session', () => {
  it('reviews a finished phase with every other agent and goes on when all approve', async () => {
    const { actor, calls, diffs } = runSession({ agents: ['claude', 'codex', 'gemini'] });
    expect((await toPromise(actor)).status).toBe('completed');
    const { reviews } = actor.getSnapshot().context;
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ reviewId: 'review:1', trigger: 'phase.finished', phaseId: 'implement', round: 0, authorWorkerId: 'worker:implement' });
    expect(reviews[0]!.decision).toMatchObject({ action: 'continue', rule: 'all_approve' });
    expect(calls.map((c) => c.agent).sort()).toEqual(['codex', 'gemini']);
    expect(calls[0]!.prompt).toContain('diff --git a/a.txt b/a.txt');
    // The work is diffed from the commit it started from: the session's base for the first phase.
    expect(diffs).toEqual([{ sessionId: 's1', reviewId: 'review:1', cwd: '/tmp/x', base: 'base0' }]);
  });

  it('sends requested changes back to the author in its own conversation, then reviews the revision', async () => {
    const { actor, workers, diffs } = runSession({ reviewers: { codex: [verdict('codex', 'request_changes', [major]), verdict('codex', 'approve')] } });
    expect((await toPromise(actor)).status).toBe('completed');
    const { reviews, phases } = actor.getSnapshot().context;
    expect(reviews.map((r) => [r.round, r.decision?.action, r.decision?.rule])).toEqual([
      [0, 'revise', 'changes_requested'],
      [1, 'continue', 'all_approve'],
    ]);
    expect(phases[0]!.revisions).toBe(1);
    expect(phases[0]!.attempts.map((a) => [a.workerId, a.agent, a.revision])).toEqual([
      ['worker:implement', 'claude', undefined],
      ['worker:implement:2', 'claude', 1],
    ]);
    const revision = workers[1]!;
    expect(revision.resumeSessionId).toBe('vendor-1');
    expect(revision.prompt).toContain('revision round 1 of 2');
    expect(revision.prompt).toContain('no test for the new branch (codex)');
    // The revision is diffed from the checkpoint of the work it revises.
    expect(diffs.map((d) => d.base)).toEqual(['base0', 'abc123']);
  });

  it('escalates a critical block to a person, and goes on when the person approves', async () => {
    const { actor } = runSession({ reviewers: { codex: verdict('codex', 'block', [critical]) } });
    await waitFor(actor, (s) => s.matches({ active: { control: 'escalated' } }), { timeout: 2000 });
    expect(actor.getSnapshot().context.approval).toMatchObject({ approvalId: 'review:1', findings: [{ ...critical, agent: 'codex' }] });
    // Nothing goes on without an answer to this very question.
    actor.send({ type: 'session.resume' });
    actor.send({ type: 'approval.answer', approvalId: 'review:9', approve: true });
    expect(actor.getSnapshot().matches({ active: { control: 'escalated' } })).toBe(true);
    actor.send({ type: 'approval.answer', approvalId: 'review:1', approve: true });
    expect((await toPromise(actor)).status).toBe('completed');
  });

  it('ends the session failed when the person denies', async () => {
    const { actor } = runSession({ reviewers: { codex: verdict('codex', 'block', [critical]) } });
    await waitFor(actor, (s) => s.matches({ active: { control: 'escalated' } }), { timeout: 2000 });
    actor.send({ type: 'approval.answer', approvalId: 'review:1', approve: false });
    const output = await toPromise(actor);
    expect(output).toMatchObject({ status: 'failed', reason: expect.stringContaining('a person denied going on: codex blocked the work') });
  });

  it('escalates when no reviewer gave a valid answer, or goes on with a warning when configured', async () => {
    const timedOut: ReviewerResult = { status: 'timed_out', agent: 'codex', afterMs: 1000 };
    const held = runSession({ reviewers: { codex: { result: timedOut } } });
    await waitFor(held.actor, (s) => s.matches({ active: { control: 'escalated' } }), { timeout: 2000 });
    held.actor.stop();

    const { actor } = runSession({ reviewers: { codex: { result: timedOut } }, settings: { onUnresolved: 'continue' } });
    expect((await toPromise(actor)).status).toBe('completed');
    expect(actor.getSnapshot().context.reviews[0]!.decision).toMatchObject({ action: 'continue', rule: 'unresolved', warning: true });
  });

  it('escalates after the last revision round when changes are still requested', async () => {
    const { actor, workers } = runSession({ reviewers: { codex: verdict('codex', 'request_changes', [major]) }, settings: { maxRounds: 1 } });
    await waitFor(actor, (s) => s.matches({ active: { control: 'escalated' } }), { timeout: 2000 });
    expect(workers).toHaveLength(2);
    expect(actor.getSnapshot().context.reviews.map((r) => r.decision?.rule)).toEqual(['changes_requested', 'unresolved']);
    actor.stop();
  });

  it('reviews work in progress when the agent reports a milestone; its findings wait for the agent to finish', async () => {
    const claude: FakeScript = {
      events: [{ type: 'agent.started', vendorSessionId: 'vendor-1' }, { type: 'agent.milestone', text: 'parser done' }],
      later: { afterMs: 150, events: [{ type: 'agent.result', success: true, summary: 'did it' }] },
      exitCode: 0,
    };
    const { actor, workers, calls } = runSession({ scripts: { claude }, reviewers: { codex: [verdict('codex', 'request_changes', [major]), verdict('codex', 'approve')] } });
    await waitFor(actor, (s) => s.context.reviews.length === 1 && s.context.reviews[0]!.decision !== undefined, { timeout: 2000 });
    // Decided while the agent still works: the findings are held for it.
    expect(actor.getSnapshot().context.phases[0]!.attempts).toHaveLength(1);
    expect(actor.getSnapshot().context.reviews[0]).toMatchObject({ trigger: 'milestone' });
    expect(calls[0]!.prompt).toContain('the author reported a milestone: parser done');
    expect((await toPromise(actor)).status).toBe('completed');
    // The revision ran straight after the first run, whose end was not reviewed again; the
    // revision's own milestone and end were (this fake agent reports a milestone on every run).
    expect(workers.map((w) => w.workerId)).toEqual(['worker:implement', 'worker:implement:2']);
    expect(actor.getSnapshot().context.reviews.map((r) => [r.trigger, r.round, r.decision?.action])).toEqual([
      ['milestone', 0, 'revise'],
      ['milestone', 1, 'continue'],
      ['phase.finished', 1, 'continue'],
    ]);
  });

  it('lets a person ask for a review while an agent works', async () => {
    const { actor } = runSession({ scripts: { claude: { runUntilStopped: true } } });
    await waitFor(actor, (s) => s.matches({ active: { flow: 'working' } }), { timeout: 2000 });
    actor.send({ type: 'review.request', note: 'look at the parser' });
    await waitFor(actor, (s) => s.context.reviews[0]?.decision !== undefined, { timeout: 2000 });
    expect(actor.getSnapshot().context.reviews[0]).toMatchObject({ trigger: 'person', decision: { action: 'continue' } });
    actor.stop();
  });

  it('runs no review when reviews are off', async () => {
    const { actor, calls } = runSession({ settings: { enabled: false }, scripts: { claude: succeed() } });
    expect((await toPromise(actor)).status).toBe('completed');
    expect(calls).toEqual([]);
    expect(actor.getSnapshot().context.reviews).toEqual([]);
  });

  it('escalates when the author is the only agent, since nobody can review', async () => {
    const { actor, calls } = runSession({ agents: ['claude'] });
    await waitFor(actor, (s) => s.matches({ active: { control: 'escalated' } }), { timeout: 2000 });
    expect(calls).toEqual([]);
    expect(actor.getSnapshot().context.approval?.reason).toContain('no other agent could review');
    actor.stop();
  });
});
