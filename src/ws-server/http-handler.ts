import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics, MetricsView } from './metrics.js';
import { serveReadApi, type ReadApiContext } from './read-api.js';
import { send, sendError, setSecurityHeaders } from './responses.js';
import { checkRequest, hasToken, isCrossSiteSubresource, tokenCookie, tokensEqual, type AccessPolicy } from './security.js';
import { serveStatic } from './static-files.js';

/** What the HTTP routes need, fixed for the server's lifetime. */
export interface HttpContext extends ReadApiContext {
  policy: AccessPolicy;
  metrics: Metrics;
  metricsView(): MetricsView;
  dashboardDir?: string;
  pageCsp: string;
}

// Routes one HTTP request after the checks every request gets: exact Host, exact Origin on anything
// but GET/HEAD, no cross-site subresource loads, and the token for /api and /metrics.
export async function handleHttpRequest(request: IncomingMessage, response: ServerResponse, context: HttpContext): Promise<void> {
  const { policy, metrics } = context;
  setSecurityHeaders(response);
  const method = request.method ?? '';
  const readOnly = method === 'GET' || method === 'HEAD';
  const rejection = checkRequest(request, policy, !readOnly) ?? (isCrossSiteSubresource(request) ? 'crossSite' : null);
  if (rejection) {
    metrics.count('rejected', rejection);
    return sendError(response, 403, 'Forbidden');
  }
  const url = parseTarget(request.url);
  if (!url) {
    metrics.count('rejected', 'malformed');
    return sendError(response, 400, 'Bad request');
  }
  const isApi = url.pathname.startsWith('/api/') || url.pathname === '/metrics';
  if (isApi && !hasToken(request, policy)) {
    metrics.count('rejected', 'token');
    return sendError(response, 401, 'Unauthorized: open the URL orchestrate printed');
  }
  // No route changes anything: control goes over the WebSocket only.
  if (!readOnly) {
    response.setHeader('Allow', 'GET, HEAD');
    return sendError(response, 405, 'Method not allowed');
  }
  const head = method === 'HEAD';
  if (url.pathname === '/metrics') return send(response, 200, 'text/plain; version=0.0.4; charset=utf-8', metrics.render(context.metricsView()), head);
  if (isApi) return serveReadApi(response, url, context, head);
  if (url.pathname === '/ws') return sendError(response, 426, 'Upgrade required');
  if (url.searchParams.has('token')) return exchangeToken(response, url.searchParams.get('token')!, policy, metrics);
  await serveStatic(request, response, url.pathname, context.dashboardDir, context.pageCsp);
}

// GET /?token=…: a valid token becomes an HttpOnly, SameSite=Strict cookie and the browser is sent
// to / so the token leaves the address bar and the history.
function exchangeToken(response: ServerResponse, token: string, policy: AccessPolicy, metrics: Metrics): void {
  response.setHeader('Cache-Control', 'no-store');
  if (!tokensEqual(token, policy.token)) {
    metrics.count('rejected', 'token');
    return sendError(response, 401, 'Unauthorized: this token is not the one of this run; open the URL orchestrate printed');
  }
  response.setHeader('Set-Cookie', tokenCookie(policy));
  response.setHeader('Location', '/');
  send(response, 303, 'text/plain; charset=utf-8', 'See /\n');
}

// The request target as a URL, or null when it is not a plain origin-form path: absolute forms, '#',
// backslashes and dot segments (even percent-encoded) are refused rather than normalised, so what
// is checked is what was asked for (the Vite fs.deny bypasses came from two parsers disagreeing).
function parseTarget(target: string | undefined): URL | null {
  if (!target || !target.startsWith('/') || target.startsWith('//') || /[#\\]/.test(target)) return null;
  const segments = target.split('?')[0]!.split('/');
  if (segments.some((segment) => /^(\.|%2e){1,2}$/i.test(segment))) return null;
  try {
    return new URL(target, 'http://localhost');
  } catch {
    return null;
  }
}
