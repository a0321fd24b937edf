import type { RawData, WebSocket } from 'ws';
import { parseClientMessage, type ClientMessage, type ControlRequest, type ErrorCode, type ParsedClientMessage, type ServerMessage } from '../protocol/index.js';
import { createClientFeed, type FeedLimits } from './client-feed.js';
import type { Hub } from './hub.js';
import type { Metrics } from './metrics.js';
import type { SessionSource } from './session-source.js';
import { createTokenBucket } from './token-bucket.js';

/** Limits on what one client may send. */
export interface InboundLimits {
  messagesPerSecond: number;
  messageBurst: number;
  /** This many rate-limited messages in a row close the socket (1008): the client ignores RATE_LIMITED. */
  maxRateLimited: number;
}

/** What every connection shares: the session, the hub, the metrics and the limits. */
export interface ConnectionContext {
  source: SessionSource;
  hub: Hub;
  metrics: Metrics;
  limits: FeedLimits & InboundLimits;
  /** The `hello` to greet a new client with. */
  hello(): ServerMessage;
}

/** How long a dropped client gets to finish the closing handshake before its socket is destroyed. */
const CLOSE_GRACE_MS = 1000;

const MESSAGES: Record<ErrorCode, string> = {
  BAD_JSON: 'expected a JSON text frame',
  BAD_MESSAGE: 'not a well-formed message',
  UNKNOWN_TYPE: 'unknown message type',
  RATE_LIMITED: 'too many messages; slow down',
  SEQ_OUT_OF_RANGE: 'fromSeq is after the last committed event',
  HISTORY_UNAVAILABLE: 'the event history cannot be read',
  SESSION_ENDED: 'the session has ended',
  UNKNOWN_WORKER: 'no running worker has that id',
  UNKNOWN_APPROVAL: 'no pending approval matches',
  UNSUPPORTED: 'this session cannot do that',
  INTERNAL: 'the server failed to handle the message',
  NOT_NOW: 'the session cannot do that in its state now',
};

// Serves one WebSocket client: hello, then its messages (rate-limited, validated, answered by id),
// its feed of batches, and cleanup on close. Nothing a client sends can throw out of here.
export function serveConnection(ws: WebSocket, context: ConnectionContext): void {
  const { source, hub, metrics, limits } = context;
  const bucket = createTokenBucket(limits.messageBurst, limits.messagesPerSecond);
  let strikes = 0;
  const reply = (message: ServerMessage) => ws.send(JSON.stringify(message));
  const refuse = (code: ErrorCode, id?: string) => reply({ type: 'error', ...(id ? { id } : {}), code, message: MESSAGES[code] });
  const drop = (reason: 'slow' | 'flood', code: number, text: string) => {
    if (ws.readyState !== ws.OPEN) return;
    metrics.count('clientsDropped', reason);
    ws.close(code, text);
    // The close frame may wait behind unread data, so the socket and its buffer go after a grace period.
    setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
  };
  // Also runs from the feed's timers, where a throwing source would otherwise escape.
  const sendSnapshot = () => {
    try {
      reply({ type: 'snapshot', lastSeq: source.lastCommittedSeq(), session: source.digest() });
    } catch {
      refuse('INTERNAL');
    }
  };
  const feed = createClientFeed(ws, hub, source, limits, {
    onResynced: sendSnapshot,
    onLagging: () => metrics.count('resyncs'),
    onFailed(reason) {
      if (reason === 'history') return refuse('HISTORY_UNAVAILABLE');
      drop('slow', 1013, 'too slow; reconnect and resubscribe');
    },
  });

  // True when the message was accepted (and acknowledged).
  const handle = (message: ClientMessage): boolean => {
    if (message.type === 'subscribe') {
      if (!feed.subscribe(message.fromSeq)) {
        refuse('SEQ_OUT_OF_RANGE', message.id);
        return false;
      }
      reply({ type: 'ack', id: message.id });
      sendSnapshot();
      return true;
    }
    const { id, ...request } = message;
    const result = source.control(request as ControlRequest);
    if (result.ok) reply({ type: 'ack', id });
    else refuse(result.code, id);
    return result.ok;
  };
  const onMessage = (data: RawData, isBinary: boolean) => {
    // Frames already received when the server began closing are not worth an answer.
    if (ws.readyState !== ws.OPEN) return;
    if (!bucket.take()) {
      metrics.count('messages', 'rateLimited');
      strikes += 1;
      if (strikes < limits.maxRateLimited) return refuse('RATE_LIMITED');
      return drop('flood', 1008, 'too many messages');
    }
    strikes = 0;
    const parsed: ParsedClientMessage = isBinary ? { ok: false, code: 'BAD_JSON' } : parseClientMessage(data.toString());
    if (!parsed.ok) {
      metrics.count('messages', 'invalid');
      return refuse(parsed.code, parsed.id);
    }
    try {
      metrics.count('messages', handle(parsed.message) ? 'ok' : 'refused');
    } catch {
      metrics.count('messages', 'refused');
      refuse('INTERNAL', parsed.message.id);
    }
  };

  hub.add(feed);
  try {
    reply(context.hello());
  } catch {
    refuse('INTERNAL');
  }
  ws.on('message', onMessage);
  // ws closes the socket itself after a protocol error (1002) or an oversized frame (1009).
  ws.on('error', () => {});
  ws.on('close', () => {
    feed.stop();
    hub.remove(feed);
  });
}
