/** A queue whose takers wait for the next value; values put before a taker arrives are kept in order. */
export interface Mailbox<T> {
  put(value: T): void;
  take(): Promise<T>;
  /** Values put but not yet taken. */
  readonly size: number;
}

// Creates an unbounded mailbox; bounded by its producer (a finite recorded log).
export function createMailbox<T>(): Mailbox<T> {
  const values: T[] = [];
  const takers: ((value: T) => void)[] = [];
  return {
    put(value) {
      const taker = takers.shift();
      if (taker) taker(value);
      else values.push(value);
    },
    take() {
      if (values.length > 0) return Promise.resolve(values.shift()!);
      return new Promise((resolve) => takers.push(resolve));
    },
    get size() {
      return values.length;
    },
  };
}
