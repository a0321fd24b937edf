import type { AgentName, LogEntry, Phase, ReviewDiffResult, ReviewerResult } from '../domain/index.js';
import type { SessionStore } from '../store/session-store.js';

/** A review as it is kept with the session: who, why, what was shown and what each reviewer said. */
export interface ReviewNote {
  reviewId: string;
  trigger: string;
  phaseId: string;
  round: number;
  author: AgentName;
  authorWorkerId: string;
  reviewers: AgentName[];
  diff?: ReviewDiffResult;
  results: ReviewerResult[];
}

// Keeps the side tables a resume and the read API need in step with the log: each worker with its
// vendor session id and working directory, each process group until it ends, each review and
// decision once decided. Fed committed entries only; a failing write is reported, never thrown
// into the log's listeners.
export function createTableRecorder(
  store: SessionStore,
  sessionId: string,
  phases: readonly Phase[],
  cwd: string,
  onError: (error: unknown) => void,
) {
  const workers = new Map<string, { agent: AgentName; phaseId: string }>();
  const groupOf = new Map<string, number>();
  const reviews = new Map<string, ReviewNote>();
  const recoveries = new Map<string, { recoveryId: string; workerId: string; agent: AgentName; failure: { code: string; message: string } }>();
  const upsert = (workerId: string, ts: number, changes: { state: string; vendorSessionId?: string; endedAt?: number }) => {
    const worker = workers.get(workerId);
    if (!worker) return;
    const role = phases.find((p) => p.id === worker.phaseId)?.role ?? null;
    store.upsertWorker({ sessionId, workerId, phaseId: worker.phaseId, role, agent: worker.agent, cwd, startedAt: ts, ...changes });
  };
  const apply = (entry: LogEntry) => {
    switch (entry.type) {
      case 'phase.started':
        workers.set(entry.workerId, { agent: entry.agent, phaseId: entry.phaseId });
        return upsert(entry.workerId, entry.ts, { state: 'starting' });
      case 'agent.started':
        return upsert(entry.workerId, entry.ts, { state: 'running', vendorSessionId: entry.vendorSessionId });
      case 'phase.finished':
        return upsert(entry.workerId, entry.ts, { state: entry.outcome.status, endedAt: entry.ts });
      case 'process.spawned':
        groupOf.set(entry.workerId, entry.pgid);
        store.recordProcessGroup({ sessionId, workerId: entry.workerId, pid: entry.pid, pgid: entry.pgid, startTime: entry.startTime ?? null, spawnedAt: entry.ts });
        return;
      case 'agent.exited': {
        const pgid = groupOf.get(entry.workerId);
        if (pgid !== undefined) store.endProcessGroup(sessionId, pgid, entry.ts);
        return;
      }
      case 'review.started': {
        const { reviewId, trigger, phaseId, round, author, authorWorkerId, reviewers } = entry;
        reviews.set(reviewId, { reviewId, trigger, phaseId, round, author, authorWorkerId, reviewers, results: [] });
        return;
      }
      case 'review.diff': {
        const review = reviews.get(entry.reviewId);
        if (review) review.diff = entry.diff;
        return;
      }
      case 'review.answered':
        reviews.get(entry.reviewId)?.results.push(entry.result);
        return;
      case 'recovery.started':
        recoveries.set(entry.recoveryId, { recoveryId: entry.recoveryId, workerId: entry.workerId, agent: entry.agent, failure: { code: entry.code, message: entry.message } });
        return;
      case 'recovery.finished': {
        const started = recoveries.get(entry.recoveryId);
        store.recordRecoveryAction(sessionId, entry.seq, { ...started, recoveryId: entry.recoveryId, workerId: entry.workerId, status: entry.status, strategy: entry.strategy });
        recoveries.delete(entry.recoveryId);
        return;
      }
      case 'review.decided': {
        const review = reviews.get(entry.reviewId);
        store.transaction(() => {
          if (review) store.recordReview(sessionId, entry.seq, review);
          store.recordDecision(sessionId, entry.seq, { reviewId: entry.reviewId, phaseId: review?.phaseId, ...entry.decision });
        });
        reviews.delete(entry.reviewId);
        return;
      }
    }
  };
  return (entry: LogEntry) => {
    try {
      apply(entry);
    } catch (error) {
      onError(error);
    }
  };
}
