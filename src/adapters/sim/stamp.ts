// The write time a stamped `events` message carries, so a reader can time each message's way from
// the agent. The clock is the monotonic one (process.hrtime, CLOCK_MONOTONIC on Linux), which every
// process on the machine shares, unlike the wall clock, which can be adjusted while it runs.

/** The monotonic clock in milliseconds, to the microsecond. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1000;
}

/** The text of stamped message n: `event <n> t=<monotonicMs>`, the time taken as the text is made. */
export function stampedText(n: number): string {
  return `event ${n} t=${monotonicMs().toFixed(3)}`;
}

/** Finds every stamped message in a text (a stdout line, a JSON batch): groups 1 = n, 2 = the time. */
export const STAMPED_TEXT = /event (\d+) t=(\d+\.\d{3})/g;
