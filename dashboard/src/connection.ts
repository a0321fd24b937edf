import { parseServerMessage, type ClientMessage, type ServerMessage } from '../../src/protocol/index.js';
import { backoffDelay } from './state/backoff.js';
import type { ConnectionView } from './state/dashboard-state.js';

/** What the connection tells the app. */
export interface ConnectionHooks {
  onMessage(message: ServerMessage): void;
  onStatus(patch: Partial<ConnectionView>): void;
  /** The socket closed: commands in flight will not be answered. */
  onClosed(): void;
}

export interface Connection {
  /** Sends a message now; false when the socket is not open. */
  send(message: ClientMessage): boolean;
  /** Skips the backoff wait and tries again at once. */
  retryNow(): void;
}

/** After this many attempts in a row without a hello, the cookie is probably stale (the server restarted with a new token). */
const STALE_AFTER = 4;

const CLOSE_REASONS: Record<number, string> = {
  1001: 'the server closed',
  1008: 'the server dropped this tab for sending too much',
  1009: 'a message was too large',
  1013: 'the server dropped this tab for reading too slowly',
};

// The dashboard's WebSocket: same host, path /ws, authenticated by the cookie the token redirect set.
// It reconnects with jittered backoff; the app resubscribes from its last seq on every hello.
export function connect(url: string, hooks: ConnectionHooks): Connection {
  let socket: WebSocket | null = null;
  let attempt = 0;
  let timer: number | undefined;

  const open = () => {
    clearTimeout(timer);
    timer = undefined;
    hooks.onStatus({ status: attempt === 0 ? 'connecting' : 'reconnecting', retryAt: null });
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('message', (event) => {
      const message = typeof event.data === 'string' ? parseServerMessage(event.data) : null;
      if (!message) return;
      if (message.type === 'hello') attempt = 0;
      hooks.onMessage(message);
    });
    ws.addEventListener('close', (event) => {
      if (socket !== ws) return;
      socket = null;
      hooks.onClosed();
      scheduleRetry(event.code);
    });
  };
  const scheduleRetry = (code: number) => {
    const delay = backoffDelay(attempt);
    attempt += 1;
    const stale = attempt >= STALE_AFTER;
    const detail = stale ? 'cannot reach the session: if orchestrate restarted, open the new URL it printed' : (CLOSE_REASONS[code] ?? 'connection lost');
    hooks.onStatus({ status: stale ? 'offline' : 'reconnecting', attempt, retryAt: Date.now() + delay, detail });
    timer = window.setTimeout(open, delay);
  };
  const retryNow = () => {
    if (socket) return;
    open();
  };
  window.addEventListener('online', retryNow);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') retryNow();
  });
  open();
  return {
    send(message) {
      if (socket?.readyState !== WebSocket.OPEN) return false;
      socket.send(JSON.stringify(message));
      return true;
    },
    retryNow,
  };
}

// The socket URL for the page's own host: ws://host/ws, or wss:// behind TLS.
export function socketUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}
