// What a broadcast runner needs from either path (raw or the pipeline), and how both count the
// sim's messages as they hand them to their server.
import { monotonicMs, STAMPED_TEXT } from '../src/adapters/sim/stamp.js';
import { quantile } from './stats.js';

/** One path from the simulated agent to a WebSocket server on 127.0.0.1. */
export interface BroadcastFeed {
  /** ws://127.0.0.1:<port>/ws */
  url: string;
  /** The upgrade headers a client needs. */
  headers: Record<string, string>;
  /** Starts the agent (the clients are subscribed by then). */
  start(): void;
  /** Settles once the last message has been handed to the server, or the agent ended without it. */
  lastMessage: Promise<MessageMarks>;
  /** Resolves once the agent (and, for the pipeline, its session) ended as it should; rejects otherwise. */
  finished(): Promise<void>;
  /** Times a client fell behind and was re-served from the store (the pipeline only). */
  resyncs(): Promise<number | undefined>;
  close(): Promise<void>;
}

/** The last message's seq in the server's stream, and the first and last message's stamps. */
export interface MessageMarks {
  seq: number;
  firstStampMs: number;
  lastStampMs: number;
  /** Latency runs: the median time from a steady message's write until the path hands it to its batcher, ms. */
  toHubP50Ms?: number;
}

// The write time a stamped message carries.
function stampOf(text: string): number {
  const [match] = text.matchAll(STAMPED_TEXT);
  if (!match) throw new Error(`a message carries no stamp: ${text.slice(0, 200)}`);
  return Number(match[2]);
}

// Counts the sim's `count` messages as a path hands them to its batcher (with the seq each gets in
// its stream); lastMessage resolves at the last one, and end() settles it when the agent ends
// without it. With steadyFrom (latency runs), it also times each later message from its write to
// the hand-off.
export function createMessageCounter(count: number, steadyFrom?: number) {
  let seen = 0;
  let firstStampMs = Number.NaN;
  const toHub: number[] = [];
  let settle: { resolve(marks: MessageMarks): void; reject(error: Error): void } | undefined;
  const lastMessage = new Promise<MessageMarks>((resolve, reject) => (settle = { resolve, reject }));
  // Rejections are read by the runner, which may be waiting on something else when one comes.
  lastMessage.catch(() => {});
  return {
    lastMessage,
    message(text: string, seq: number): void {
      seen++;
      if (seen === 1) firstStampMs = stampOf(text);
      if (steadyFrom !== undefined && seen > steadyFrom) toHub.push(monotonicMs() - stampOf(text));
      if (seen !== count) return;
      const toHubP50Ms = toHub.length > 0 ? quantile(Float64Array.from(toHub).sort(), 0.5) : undefined;
      settle?.resolve({ seq, firstStampMs, lastStampMs: stampOf(text), toHubP50Ms });
    },
    end(error?: unknown): void {
      if (seen >= count) return;
      const why = error instanceof Error ? `: ${error.message}` : '';
      settle?.reject(new Error(`the agent ended after ${seen} of its ${count} messages${why}`));
    },
  };
}
