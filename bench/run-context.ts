/** What a measured run gets from its runner process. */
export interface RunContext {
  /** 0 for the warm-up run, then 1, 2, … */
  index: number;
  /** Reports a process group the run started, so it is killed if anything goes wrong. */
  track(pgid: number): void;
  /** The group is gone (its leader exited and was reaped). */
  untrack(pgid: number): void;
}

// Resolves with the promise, or calls onTimeout and rejects after ms milliseconds.
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
