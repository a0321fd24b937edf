import type { LogBody } from '../domain/index.js';
import type { SessionContext } from '../machines/index.js';

/** A session-level event and the actor it is about: `session`, or the worker of a phase. */
export interface DerivedEvent {
  workerId: string;
  body: LogBody;
}

// The session-level events implied by one machine step: tier changes, phases started and finished.
// Derived from the snapshots so the machines stay free of I/O.
export function deriveSessionEvents(previous: SessionContext | undefined, next: SessionContext): DerivedEvent[] {
  const events: DerivedEvent[] = [];
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
  return events;
}
