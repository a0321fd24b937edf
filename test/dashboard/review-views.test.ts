import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/domain/index.js';
import { approvalText, applyEntryToApprovals, createApprovalStore, waitingApprovals } from '../../dashboard/src/state/derive-approvals.js';
import { applyEntryToWorkers, createWorkerStore } from '../../dashboard/src/state/derive-workers.js';
import { describeDecisionNote, describeReviewNote } from '../../dashboard/src/state/notes.js';

const stamp = (seq: number, workerId: string) => ({ sessionId: 's1', seq, ts: 1000 + seq, workerId });
const finding = { severity: 'critical' as const, file: 'db.ts', line: 3, message: 'drops the table', agent: 'codex' as const };

describe('a review escalation in the dashboard', () => {
  it('waits for a person until it is answered, with the reason as what is approved', () => {
    const store = createApprovalStore();
    const asked: LogEntry = { type: 'approval.requested', approvalId: 'review:2', reviewId: 'review:2', reason: 'codex blocked the work', findings: [finding], ...stamp(40, 'session') };
    expect(applyEntryToApprovals(store, asked)).toBe(true);
    const [waiting] = waitingApprovals(store);
    expect(waiting).toMatchObject({ approvalId: 'review:2', tool: 'review', command: 'codex blocked the work', findings: [finding] });
    // The server hashes exactly this for the pending escalation.
    expect(approvalText(waiting!)).toBe(JSON.stringify({ approvalId: 'review:2', tool: 'review', command: 'codex blocked the work', path: null }));
    applyEntryToApprovals(store, { type: 'approval.answered', approvalId: 'review:2', approve: true, ...stamp(41, 'session') });
    expect(waitingApprovals(store)).toEqual([]);
  });
});

describe('a reviewer card', () => {
  it('is made from the reviewer run, and ends with what its review recorded', () => {
    const store = createWorkerStore();
    applyEntryToWorkers(store, { type: 'agent.started', vendorSessionId: 'v', ...stamp(1, 'review:1:codex') }, true);
    expect(store.get('review:1:codex')).toMatchObject({ agent: 'codex', state: 'running' });
    const result = { status: 'answered' as const, agent: 'codex' as const, answer: { verdict: 'approve' as const, findings: [], summary: 'fine' } };
    applyEntryToWorkers(store, { type: 'review.answered', reviewId: 'review:1', agent: 'codex', result, ...stamp(2, 'review:1:codex') }, true);
    expect(store.get('review:1:codex')).toMatchObject({ state: 'done', outcome: { status: 'done', summary: 'approve: fine' } });
  });
});

describe('review and decision notes', () => {
  it('reads a review: every verdict, its findings and the diff reviewed', () => {
    const view = describeReviewNote({
      reviewId: 'review:3',
      trigger: 'phase.finished',
      phaseId: 'implement',
      round: 1,
      results: [
        { status: 'answered', agent: 'codex', answer: { verdict: 'request_changes', summary: 'one gap', findings: [{ severity: 'major', file: 'a.ts', line: 2, message: 'no test' }] } },
        { status: 'timed_out', agent: 'gemini', afterMs: 300_000 },
      ],
      diff: { text: 'diff --git a/a.ts b/a.ts', truncated: true, files: [{ path: 'a.ts', added: 1, deleted: 0 }] },
    });
    expect(view.title).toBe('review:3 · implement, round 1 · phase.finished: codex request_changes, gemini timed out');
    expect(view.verdicts[0]!.findings).toEqual([{ severity: 'major', where: 'a.ts:2', message: 'no test', agent: '' }]);
    expect(view).toMatchObject({ files: ['a.ts'], diff: 'diff --git a/a.ts b/a.ts', diffTruncated: true });
  });

  it('reads a decision with the rule that fired, and survives a body it does not know', () => {
    expect(describeDecisionNote({ reviewId: 'review:1', action: 'escalate', rule: 'critical_block', reason: 'codex blocked', warning: false, findings: [finding] })).toMatchObject({
      title: 'review:1: escalate (critical block)',
      reason: 'codex blocked',
      findings: [{ severity: 'critical', where: 'db.ts:3', message: 'drops the table', agent: 'codex' }],
    });
    expect(describeDecisionNote('garbage')).toMatchObject({ title: 'garbage', findings: [] });
    expect(describeReviewNote({ text: 'other' })).toMatchObject({ title: 'other', verdicts: [] });
  });
});
