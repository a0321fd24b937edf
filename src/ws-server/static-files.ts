import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { send, sendError, setSecurityHeaders } from './responses.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>orchestrate</title></head>
<body><h1>orchestrate</h1>
<p>The dashboard is not built, so there is no page to show. The session runs as usual, and the
read API (<code>/api/session</code>, <code>/api/events</code>, ...) and the live feed (<code>/ws</code>) work without it.</p>
</body></html>
`;

// Serves a file of the built dashboard, or a page saying it is not built. Paths are decoded and
// checked segment by segment before touching the disk, so no request can name a file outside `dir`.
export async function serveStatic(request: IncomingMessage, response: ServerResponse, pathname: string, dir: string | undefined, csp: string): Promise<void> {
  const head = request.method === 'HEAD';
  const segments = toSegments(pathname === '/' ? '/index.html' : pathname);
  if (!segments) return sendError(response, 400, 'Bad path');
  const file = dir ? resolve(dir, ...segments) : undefined;
  if (file && dir && !file.startsWith(resolve(dir) + sep)) return sendError(response, 400, 'Bad path');
  const body = file ? await readIfFile(file) : undefined;
  const isPage = pathname === '/' || extname(file ?? '') === '.html';
  setSecurityHeaders(response, isPage ? csp : undefined);
  response.setHeader('Cache-Control', 'no-cache');
  if (body) return send(response, 200, TYPES[extname(file!)] ?? 'application/octet-stream', body, head);
  if (pathname === '/') return send(response, 200, TYPES['.html']!, PLACEHOLDER, head);
  sendError(response, 404, 'Not found');
}

function toSegments(pathname: string): string[] | null {
  const segments: string[] = [];
  for (const raw of pathname.split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '' || segment === '.' || segment === '..' || /[\\/\0]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments.length > 0 ? segments : null;
}

async function readIfFile(file: string): Promise<Buffer | undefined> {
  try {
    return (await stat(file)).isFile() ? await readFile(file) : undefined;
  } catch {
    return undefined;
  }
}

