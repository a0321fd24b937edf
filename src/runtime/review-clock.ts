import type { EventLog } from '../store/event-log.js';

export interface ReviewClockOptions {
  /** No review for this long while an agent works makes one due; 0 turns the clock off. */
  intervalMs: number;
  log: Pick<EventLog, 'append' | 'subscribe'>;
  /** Whether an agent is working now (a review of nothing is not due). */
  isWorking(): boolean;
  /** Hands the due review to the session machine. */
  send(event: { type: 'review.due' }): void;
}

/** The most a due review waits to be noticed. */
const MAX_CHECK_MS = 30_000;

// The review interval, kept outside the machines: a machine timer would not be in the log, so a
// replay could not take the same step. The clock counts from the session's start and from each
// review started, and records `review.due` before sending it, as a person's command is recorded.
export function startReviewClock(options: ReviewClockOptions): () => void {
  const { intervalMs, log } = options;
  if (intervalMs <= 0) return () => {};
  let last = Date.now();
  const unsubscribe = log.subscribe((entry) => {
    if (entry.type === 'review.started') last = Date.now();
  });
  const timer = setInterval(
    () => {
      if (Date.now() - last < intervalMs || !options.isWorking()) return;
      last = Date.now();
      log.append('session', { type: 'review.due' });
      options.send({ type: 'review.due' });
    },
    Math.min(MAX_CHECK_MS, Math.max(10, intervalMs / 4)),
  );
  timer.unref();
  return () => {
    clearInterval(timer);
    unsubscribe();
  };
}
