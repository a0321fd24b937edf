import type { ServerResponse } from 'node:http';

/** For anything that is not a page: nothing may load or embed it. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

// Headers every response carries: no MIME sniffing, no cross-origin reads or framing, no referrer
// (the first URL carries the token).
export function setSecurityHeaders(response: ServerResponse, csp = API_CSP): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Content-Security-Policy', csp);
}

// The page policy: only our own scripts, styles and sockets. `wsOrigins` are the ws:// twins of the
// allowed origins, listed because older browsers do not count ws: as 'self'.
export function pageCsp(wsOrigins: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${wsOrigins.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

// Sends a body with its type; `head` sends the headers only.
export function send(response: ServerResponse, status: number, type: string, body: string | Buffer, head = false): void {
  response.statusCode = status;
  response.setHeader('Content-Type', type);
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(head ? undefined : body);
}

// Sends JSON that no cache may keep: it is session state behind the token.
export function sendJson(response: ServerResponse, status: number, value: unknown, head = false): void {
  response.setHeader('Cache-Control', 'no-store');
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value), head);
}

// A short plain-text refusal; it never echoes anything from the request.
export function sendError(response: ServerResponse, status: number, text: string): void {
  if (response.headersSent) return void response.destroy();
  response.setHeader('Cache-Control', 'no-store');
  send(response, status, 'text/plain; charset=utf-8', `${text}\n`);
}
