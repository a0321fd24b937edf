import type { AgentName, Decision, ReviewerResult, ReviewTrigger } from '../domain/index.js';
import type { ReviewFinished, ReviewInput } from './review.js';
import type { PhaseRecord, SessionContext } from './session.js';

/*
 * The session's side of review cycles, as pure functions of its context: when one may start, what
 * it is given, and what its decision changes. The session machine calls these from its actions.
 */

/** One review cycle as the session keeps it. */
export interface ReviewRecord {
  reviewId: string;
  trigger: ReviewTrigger;
  phaseId: string;
  round: number;
  author: AgentName;
  authorWorkerId: string;
  reviewers: AgentName[];
  results?: ReviewerResult[];
  decision?: Decision;
}

/** Findings waiting to go back to their author, in a revision run of the same conversation. */
export interface PendingRevision {
  reviewId: string;
  phaseId: string;
  round: number;
  findings: Decision['findings'];
}

/**
 * A decision a person must take before the session goes on: a review's escalation (denying it ends
 * the session), or an agent's tool call the policy sends to a person (denying it stops that agent).
 */
export interface PendingApproval {
  approvalId: string;
  kind: 'review' | 'command';
  reason: string;
  findings: Decision['findings'];
  /** A review's: the review that escalated. */
  reviewId?: string;
  /** A tool call's: whose, and what it would run or write. */
  workerId?: string;
  tool?: string;
  command?: string;
  path?: string;
}

/** What the agents' reports ask of a review. */
export const REPORT_TRIGGERS = { milestone: 'milestone', blocker: 'blocker', review: 'agent.request' } as const satisfies Record<string, ReviewTrigger>;

// True when review cycles run in this session (recorded sessions from before reviews have no settings).
export function reviewsEnabled(context: SessionContext): boolean {
  return context.review?.enabled === true;
}

// A new cycle may start: reviews are on, none is running, and some work is under way or just done.
export function canStartReview(context: SessionContext): boolean {
  return reviewsEnabled(context) && context.currentReview?.getSnapshot().status !== 'active' && context.phaseIndex < context.plan.phases.length;
}

// The cycle for the current phase's latest work: its author, reviewers, round and base.
export function createReviewInput(context: SessionContext, trigger: ReviewTrigger, note?: string): ReviewInput {
  const phase = context.plan.phases[context.phaseIndex]!;
  const record = context.phases[context.phaseIndex]!;
  const attempt = record.attempts.at(-1)!;
  const settings = context.review!;
  return {
    sessionId: context.sessionId,
    reviewId: `review:${context.reviews.length + 1}`,
    trigger,
    note,
    task: context.task,
    phaseId: phase.id,
    phaseTitle: phase.title,
    role: phase.role,
    author: attempt.agent,
    authorWorkerId: attempt.workerId,
    authorSummary: attempt.outcome?.summary ?? '',
    reviewers: context.available.filter((agent) => agent !== attempt.agent),
    round: record.revisions,
    settings,
    workers: context.workers,
    base: context.workBase,
  };
}

export function toReviewRecord(input: ReviewInput): ReviewRecord {
  const { reviewId, trigger, phaseId, round, author, authorWorkerId, reviewers } = input;
  return { reviewId, trigger, phaseId, round, author, authorWorkerId, reviewers };
}

// The session's reviews with one decided.
export function settleReview(context: SessionContext, finished: ReviewFinished): ReviewRecord[] {
  return context.reviews.map((review) => (review.reviewId === finished.reviewId ? { ...review, results: finished.results, decision: finished.decision } : review));
}

// What a decision leaves pending: findings for the author, or a question for a person.
export function pendingAfter(finished: ReviewFinished): { revision?: PendingRevision; approval?: PendingApproval } {
  const { decision, reviewId, phaseId, round } = finished;
  if (decision.action === 'revise') return { revision: { reviewId, phaseId, round: round + 1, findings: decision.findings } };
  if (decision.action === 'escalate') return { approval: { approvalId: reviewId, kind: 'review', reviewId, reason: decision.reason, findings: decision.findings } };
  return {};
}

// The agent that revises: the author when it is still available, else the agent the phase is assigned to now.
export function revisionAgent(record: PhaseRecord, available: readonly AgentName[], assigned: AgentName): { agent: AgentName; resumeSessionId?: string } {
  const author = [...record.attempts].reverse().find((attempt) => attempt.outcome?.status === 'done');
  if (author && available.includes(author.agent)) return { agent: author.agent, resumeSessionId: author.vendorSessionId };
  return { agent: assigned };
}
