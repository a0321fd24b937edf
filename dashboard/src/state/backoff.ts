/** Reconnect delays: 0.5 s doubling to 10 s, each with jitter so many tabs do not retry in step. */
export const BACKOFF = { baseMs: 500, maxMs: 10_000 } as const;

// The wait before reconnect attempt `attempt` (0 = the first retry): between half and all of the
// doubled base, capped.
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}
