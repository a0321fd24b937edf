import type { ServerMessageOf } from '../protocol/index.js';
import type { EncodedBatch, Hub, HubClient } from './hub.js';
import type { SessionSource } from './session-source.js';

/** The part of a ws WebSocket the feed uses. */
export interface FeedSocket {
  readonly bufferedAmount: number;
  /** Buffers are sent as text frames: the encoding happened once, the frames stay JSON text. */
  send(data: Buffer, options: { binary: false }): void;
}

/** Backpressure and paging limits of one client's feed. */
export interface FeedLimits {
  /** Above this many queued bytes a live batch is not sent: the client is re-served from the store instead. */
  highWaterBytes: number;
  /** Catch-up pages are sent only while fewer bytes than this are queued. */
  lowWaterBytes: number;
  /** A client whose queue stays above lowWaterBytes this long is closed (1013). */
  stallMs: number;
  /** Seqs per catch-up page. */
  pageSize: number;
  /** How often a congested client's queue is looked at again. */
  pollMs: number;
}

/** What the feed tells its connection. */
export interface FeedHooks {
  /** The client is live again after falling behind: its inspection view needs a fresh snapshot. */
  onResynced(): void;
  onLagging(): void;
  /** Reading the store failed (HISTORY_UNAVAILABLE) or the client stalled ('slow'). */
  onFailed(reason: 'history' | 'slow'): void;
}

const TEXT = { binary: false } as const;

/** One client's feed: subscribe, deliver (from the hub), stop. */
export type ClientFeed = ReturnType<typeof createClientFeed>;

// One client's position in the event stream. Live, it takes the hub's batches; behind (just
// subscribed, or its socket was too full for a live batch), it is served pages read from the store
// up to the hub's flushed seq and then goes live, so the seam has no gap and no duplicate.
export function createClientFeed(socket: FeedSocket, hub: Hub, source: SessionSource, limits: FeedLimits, hooks: FeedHooks) {
  let state: 'idle' | 'behind' | 'live' = 'idle';
  let cursor = 0;
  let lagging = false;
  let congestedSince: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;

  const cancel = () => {
    clearTimeout(timer);
    clearImmediate(immediate);
    timer = immediate = undefined;
  };
  const fail = (reason: 'history' | 'slow') => {
    stop();
    hooks.onFailed(reason);
  };
  const fallBehind = () => {
    state = 'behind';
    lagging = true;
    hooks.onLagging();
    cancel();
    timer = setTimeout(pump, limits.pollMs);
  };
  const pump = (): void => {
    timer = immediate = undefined;
    if (state !== 'behind') return;
    if (socket.bufferedAmount > limits.lowWaterBytes) {
      congestedSince ??= Date.now();
      if (Date.now() - congestedSince >= limits.stallMs) return fail('slow');
      timer = setTimeout(pump, limits.pollMs);
      return;
    }
    congestedSince = undefined;
    const target = hub.flushedSeq;
    if (cursor >= target) {
      state = 'live';
      if (lagging) hooks.onResynced();
      lagging = false;
      return;
    }
    const toSeq = Math.min(cursor + limits.pageSize, target);
    let page: ServerMessageOf<'batch'>;
    try {
      const entries = source.readEvents({ fromSeq: cursor + 1, toSeq });
      page = { type: 'batch', fromSeq: cursor + 1, toSeq, items: entries.map((entry) => ({ kind: 'log', entry })) };
    } catch {
      return fail('history');
    }
    socket.send(Buffer.from(JSON.stringify(page)), TEXT);
    cursor = toSeq;
    immediate = setImmediate(pump);
  };
  const stop = () => {
    state = 'idle';
    cancel();
  };

  const client: HubClient & { subscribe(fromSeq?: number): boolean; stop(): void } = {
    /** Starts (or restarts) the feed at `fromSeq`; false when that is after the last committed seq. */
    subscribe(fromSeq) {
      // After a flush, flushedSeq covers every committed entry: the history read ends exactly there.
      hub.flush();
      if (fromSeq !== undefined && fromSeq - 1 > hub.flushedSeq) return false;
      stop();
      cursor = (fromSeq ?? hub.flushedSeq + 1) - 1;
      state = 'behind';
      lagging = false;
      congestedSince = undefined;
      immediate = setImmediate(pump);
      return true;
    },
    deliver(batch: EncodedBatch) {
      if (state !== 'live') return;
      if (batch.fromSeq !== cursor + 1 || socket.bufferedAmount + batch.data.length > limits.highWaterBytes) return fallBehind();
      socket.send(batch.data, TEXT);
      cursor = Math.max(cursor, batch.toSeq);
    },
    stop,
  };
  return client;
}
