import type { SessionContext, SessionOutput } from './session.js';

/** What a session's machines decided, in a form two runs can be compared by. */
export interface SessionFingerprint {
  value: unknown;
  status: string;
  output?: SessionOutput;
  phases: SessionContext['phases'];
  tierPath: SessionContext['tierPath'];
  available: SessionContext['available'];
  unavailable: SessionContext['unavailable'];
  reviews: SessionContext['reviews'];
}

// The decisions in a session snapshot, without live references (actor refs) or timings.
export function fingerprintSession(snapshot: {
  value: unknown;
  status: string;
  output?: SessionOutput;
  context: SessionContext;
}): SessionFingerprint {
  const { phases, tierPath, available, unavailable, reviews } = snapshot.context;
  return JSON.parse(
    JSON.stringify({ value: snapshot.value, status: snapshot.status, output: snapshot.output, phases, tierPath, available, unavailable, reviews }),
  ) as SessionFingerprint;
}
