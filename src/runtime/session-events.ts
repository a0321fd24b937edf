import type { LogBody } from '../domain/index.js';
import type { SessionContext } from '../machines/index.js';

/** A session-level event and the actor it is about: `session`, or the worker of a phase. */
export interface DerivedEvent {
  workerId: string;
  body: LogBody;
}

// The session-level events implied by one machine step: tier changes, phases started and finished,
// reviews started and decided, a person asked and answered. Derived from the snapshots so the
// machines stay free of I/O.
export function deriveSessionEvents(previous: SessionContext | undefined, next: SessionContext): DerivedEvent[] {
  const events: DerivedEvent[] = [];
  // Agents the user let run without their CLI's sandbox, once the probes say which.
  if ((previous?.probes.length ?? 0) === 0) {
    for (const probe of next.probes) if (probe.available && probe.unsandboxed) events.push({ workerId: 'session', body: { type: 'sandbox.off', agent: probe.agent, reason: probe.unsandboxed } });
  }
  for (const change of next.tierPath.slice(previous?.tierPath.length ?? 0)) {
    events.push({ workerId: 'session', body: { type: 'session.tierChanged', ...change } });
  }
  next.phases.forEach((record, index) => {
    const before = previous?.phases[index];
    record.attempts.forEach((attempt, n) => {
      const earlier = before?.attempts[n];
      if (!earlier) {
        const body = { type: 'phase.started' as const, phaseId: record.phaseId, agent: attempt.agent, reassignedFrom: attempt.reassignedFrom };
        events.push({ workerId: attempt.workerId, body });
      }
      if (attempt.outcome && !earlier?.outcome) {
        const body = { type: 'phase.finished' as const, phaseId: record.phaseId, agent: attempt.agent, outcome: attempt.outcome };
        events.push({ workerId: attempt.workerId, body });
      }
    });
  });
  events.push(...deriveReviewEvents(previous, next), ...deriveRecoveryEvents(previous, next));
  return events;
}

// Each recovery attempt as it starts and ends; one that found the agent wanting what the policy
// denies is also a violation of the worker it was for.
function deriveRecoveryEvents(previous: SessionContext | undefined, next: SessionContext): DerivedEvent[] {
  const events: DerivedEvent[] = [];
  next.recoveries.forEach((recovery, index) => {
    const before = previous?.recoveries[index];
    const { recoveryId, workerId, agent, failure, finished } = recovery;
    if (!before) events.push({ workerId, body: { type: 'recovery.started', recoveryId, agent, code: failure.code, message: failure.message } });
    if (!finished || before?.finished) return;
    events.push({ workerId, body: { type: 'recovery.finished', recoveryId, status: finished.status, strategy: finished.strategy } });
    const { strategy } = finished;
    if (strategy.kind === 'violation') {
      events.push({ workerId, body: { type: 'policy.violation', tool: 'write', path: strategy.path, rule: 'outside the allowed roots', reason: `the agent asked to write ${strategy.path}: ${strategy.reason}; denied` } });
    }
  });
  return events;
}

function deriveReviewEvents(previous: SessionContext | undefined, next: SessionContext): DerivedEvent[] {
  const events: DerivedEvent[] = [];
  next.reviews.forEach((review, index) => {
    const before = previous?.reviews[index];
    const { reviewId, trigger, phaseId, round, author, authorWorkerId, reviewers } = review;
    if (!before) events.push({ workerId: reviewId, body: { type: 'review.started', reviewId, trigger, phaseId, round, author, authorWorkerId, reviewers } });
    if (review.decision && !before?.decision) events.push({ workerId: reviewId, body: { type: 'review.decided', reviewId, decision: review.decision } });
  });
  const asked = next.approval;
  if (asked && asked.approvalId !== previous?.approval?.approvalId) {
    events.push({ workerId: 'session', body: { type: 'approval.requested', ...asked } });
  }
  const answered = previous?.approval;
  if (answered && answered.approvalId !== asked?.approvalId) {
    events.push({ workerId: 'session', body: { type: 'approval.answered', approvalId: answered.approvalId, approve: next.denied !== true } });
  }
  return events;
}
