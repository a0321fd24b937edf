import type { LogBody } from '../domain/index.js';
import type { SessionContext } from '../machines/index.js';

// The session-level events implied by one machine step: tier changes, phases started and finished.
// Derived from the snapshots so the machines stay free of I/O.
export function deriveSessionEvents(previous: SessionContext | undefined, next: SessionContext): LogBody[] {
  const events: LogBody[] = [];
  for (const change of next.tierPath.slice(previous?.tierPath.length ?? 0)) {
    events.push({ type: 'session.tierChanged', ...change });
  }
  next.phases.forEach((record, index) => {
    const before = previous?.phases[index];
    record.attempts.forEach((attempt, n) => {
      const earlier = before?.attempts[n];
      if (!earlier) {
        events.push({
          type: 'phase.started',
          phaseId: record.phaseId,
          workerId: attempt.workerId,
          agent: attempt.agent,
          reassignedFrom: attempt.reassignedFrom,
        });
      }
      if (attempt.outcome && !earlier?.outcome) {
        events.push({ type: 'phase.finished', phaseId: record.phaseId, workerId: attempt.workerId, agent: attempt.agent, outcome: attempt.outcome });
      }
    });
  });
  return events;
}
