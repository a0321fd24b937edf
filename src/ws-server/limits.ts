import type { FeedLimits } from './client-feed.js';
import type { InboundLimits } from './connection.js';

/** Every bound the server enforces; the defaults suit one person's dashboard on loopback. */
export interface DashboardLimits extends FeedLimits, InboundLimits {
  /** Concurrent WebSocket clients; one more gets 503. */
  maxClients: number;
  /** Largest client frame; ws closes a bigger one with 1009 (its own default is 100 MiB). */
  maxMessageBytes: number;
  /** The hub flushes a batch this long after its first item... */
  flushMs: number;
  /** ...or as soon as it holds this many items. */
  maxBatchItems: number;
  /** Ping interval; a client that has not answered the previous ping is terminated. */
  heartbeatMs: number;
}

/** 16 KiB frames and 20 messages at once, 10/s after (a person clicks, a client subscribes); 1 MiB per client queue. */
export const DEFAULT_LIMITS: DashboardLimits = {
  maxClients: 16,
  maxMessageBytes: 16 * 1024,
  messagesPerSecond: 10,
  messageBurst: 20,
  maxRateLimited: 100,
  highWaterBytes: 1024 * 1024,
  lowWaterBytes: 256 * 1024,
  stallMs: 10_000,
  pageSize: 256,
  pollMs: 20,
  flushMs: 16,
  maxBatchItems: 256,
  heartbeatMs: 30_000,
};
