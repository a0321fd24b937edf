import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Metrics } from './metrics.js';
import { checkRequest, hasToken, type AccessPolicy, type Rejection } from './security.js';

/** What an upgrade is checked against and handed to. */
export interface UpgradeContext {
  policy: AccessPolicy;
  metrics: Metrics;
  wss: WebSocketServer;
  maxClients: number;
  clients(): number;
  onConnection(ws: WebSocket): void;
}

// Authenticates an upgrade before ws sees it (ws discourages verifyClient): exact Host, exact Origin
// (a browser always sends one; a missing one still needs the token), the path, the token, the cap.
// A refusal writes a bare status line and closes, so no WebSocket is ever opened.
export function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, context: UpgradeContext): void {
  socket.on('error', () => socket.destroy());
  const refuse = (status: number, reason: Rejection | 'capacity' | 'malformed') => {
    context.metrics.count('rejected', reason);
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };
  const rejection = checkRequest(request, context.policy, true);
  if (rejection) return refuse(403, rejection);
  if (request.url !== '/ws') return refuse(404, 'malformed');
  if (!hasToken(request, context.policy)) return refuse(401, 'token');
  if (context.clients() >= context.maxClients) return refuse(503, 'capacity');
  try {
    context.wss.handleUpgrade(request, socket, head, (ws) => context.onConnection(ws));
  } catch {
    // A throwing session source must cost this connection only, never the server.
    socket.destroy();
  }
}

// Answers a handshake ws found invalid (bad key or version) and closes it, instead of ws's default
// reply; counted so a scan shows up in /metrics.
export function rejectBadHandshake(socket: Duplex, metrics: Metrics): void {
  metrics.count('rejected', 'malformed');
  if (socket.writable) socket.end(`HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else socket.destroy();
}
