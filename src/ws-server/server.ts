import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { PROTOCOL_VERSION, type ServerMessage } from '../protocol/index.js';
import { serveConnection } from './connection.js';
import { handleHttpRequest, type HttpContext } from './http-handler.js';
import { createHub } from './hub.js';
import { DEFAULT_LIMITS, type DashboardLimits } from './limits.js';
import { createMetrics } from './metrics.js';
import { pageCsp, sendError } from './responses.js';
import { createAccessPolicy, createToken } from './security.js';
import type { SessionArchive, SessionSource } from './session-source.js';
import { listen, startHeartbeat } from './listen.js';
import { handleUpgrade, rejectBadHandshake } from './upgrade.js';

/** How to start the dashboard server; only the source is required. */
export interface DashboardServerOptions {
  source: SessionSource;
  /** The workspace's sessions, listed and replayable in the dashboard; without it only the live one is listed. */
  archive?: SessionArchive;
  /** Interface to listen on; default 127.0.0.1. Anything but loopback is reported through onWarning. */
  host?: string;
  /** Default 4711; when that port is taken the OS picks a free one (reported through onWarning); 0 = any. */
  port?: number;
  /** The built dashboard (index.html and its assets); without it / shows a "not built" page. */
  dashboardDir?: string;
  /** Told about risky settings and fallbacks. Never given the token. */
  onWarning?(message: string): void;
  limits?: Partial<DashboardLimits>;
}

/** A running dashboard server. */
export interface DashboardServer {
  /** The URL to open: it carries the launch token, so print it only to the person who started the run. */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

/** The port tried first, so a bookmark of the dashboard usually survives a restart (the token does not). */
export const DEFAULT_PORT = 4711;
const LOOPBACK = new Set(['127.0.0.1', '::1']);

// Starts the dashboard server: static assets, the read API, /metrics and the live WebSocket at /ws.
export async function createDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const { source } = options;
  const limits: DashboardLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const warn = options.onWarning ?? (() => {});
  const host = !options.host || options.host === 'localhost' ? '127.0.0.1' : options.host;
  if (!LOOPBACK.has(host)) warn(`the dashboard listens on ${host}, beyond this machine: anyone who can reach it and has the URL controls the session`);
  const server = createServer({ requireHostHeader: true, maxHeaderSize: 16 * 1024, headersTimeout: 10_000, requestTimeout: 30_000 });
  const port = await listen(server, host, options.port ?? DEFAULT_PORT, warn);
  const named = host.includes(':') ? `[${host}]` : host;
  const wildcard = host === '0.0.0.0' || host === '::';
  const policy = createAccessPolicy(createToken(), port, LOOPBACK.has(host) || wildcard ? undefined : named);

  const metrics = createMetrics();
  // The hub starts after the last committed seq, and the subscription in the same tick: no commit between.
  const hub = createHub({
    startSeq: source.lastCommittedSeq(),
    flushMs: limits.flushMs,
    maxItems: limits.maxBatchItems,
    onFlush(batch) {
      metrics.count('batches');
      metrics.count('batchItems', '', batch.items);
    },
  });
  // A commit reaches the listeners as one burst of entries: it goes out as one batch at the end of
  // the burst, rather than waiting out the hub's timer on top of the writer's own batching delay.
  let flushQueued = false;
  const flushAfterBurst = () => {
    flushQueued = false;
    hub.flush();
  };
  const unsubscribe = source.subscribe((entry) => {
    metrics.observe(entry);
    hub.addEntry(entry);
    if (!flushQueued) {
      flushQueued = true;
      queueMicrotask(flushAfterBurst);
    }
  });
  const sockets = new Set<WebSocket>();
  let stopInspection: (() => void) | undefined;
  const hello = (): ServerMessage => ({
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    session: source.info(),
    machines: source.machines(),
    lastSeq: source.lastCommittedSeq(),
    limits: { maxMessageBytes: limits.maxMessageBytes, messagesPerSecond: limits.messagesPerSecond, messageBurst: limits.messageBurst },
  });
  const onConnection = (ws: WebSocket) => {
    sockets.add(ws);
    // Inspection is attached only while someone watches (research/xstate.md §0).
    stopInspection ??= source.subscribeInspection((record) => hub.addInspection(record));
    ws.on('close', () => {
      sockets.delete(ws);
      if (sockets.size > 0) return;
      stopInspection?.();
      stopInspection = undefined;
    });
    serveConnection(ws, { source, hub, metrics, limits, hello });
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false, clientTracking: false });
  wss.on('wsClientError', (_error, socket) => rejectBadHandshake(socket, metrics));
  const http: HttpContext = {
    source,
    archive: options.archive,
    policy,
    metrics,
    clients: () => sockets.size,
    metricsView: () => ({ digest: source.digest(), clients: sockets.size, lastSeq: source.lastCommittedSeq() }),
    dashboardDir: options.dashboardDir,
    // IPv6 literals are not valid CSP sources; a page loaded from [::1] reaches its socket through 'self'.
    pageCsp: pageCsp([...policy.origins].filter((origin) => !origin.includes('[')).map((origin) => origin.replace('http:', 'ws:'))),
  };
  server.on('request', (request, response) => {
    handleHttpRequest(request, response, http).catch(() => sendError(response, 500, 'Internal error'));
  });
  server.on('upgrade', (request, socket, head: Buffer) =>
    handleUpgrade(request, socket, head, { policy, metrics, wss, maxClients: limits.maxClients, clients: () => sockets.size, onConnection }),
  );
  // Malformed requests (bad header bytes, oversized headers) get a 400 and a closed socket, never a crash.
  server.on('clientError', (_error, socket) => rejectBadHandshake(socket, metrics));
  const heartbeat = startHeartbeat(sockets, limits.heartbeatMs, () => metrics.count('clientsDropped', 'heartbeat'));

  return {
    url: `http://${wildcard ? '127.0.0.1' : named}:${port}/?token=${policy.token}`,
    host,
    port,
    async close() {
      clearInterval(heartbeat);
      unsubscribe();
      stopInspection?.();
      stopInspection = undefined;
      hub.close();
      for (const ws of sockets) ws.close(1001, 'server closing');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        // Sockets that do not finish the closing handshake promptly are cut.
        setTimeout(() => sockets.forEach((ws) => ws.terminate()), 200).unref();
      });
    },
  };
}
