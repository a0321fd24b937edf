import { networkInterfaces } from 'node:os';
import { connect as netConnect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanupAll, connectClient, createFakeSession, fetchRaw, goodHeaders, sendRawBytes, startServer } from './support.js';

afterEach(cleanupAll);

const statusOf = (promise: Promise<unknown>) => promise.then(() => 101, (error: { status?: number }) => error.status ?? 0);

describe('dashboard server security', () => {
  it('listens on 127.0.0.1 only by default and warns about any other interface', async () => {
    const { source } = createFakeSession();
    const test = await startServer(source);
    expect(test.server.host).toBe('127.0.0.1');
    expect(test.warnings).toEqual([]);
    const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = netConnect(test.port, external.address);
        socket.on('connect', () => (socket.destroy(), resolve(false)));
        socket.on('error', () => resolve(true));
      });
      expect(refused).toBe(true);
    }
    const wide = await startServer(source, { host: '0.0.0.0' });
    expect(wide.warnings.join('\n')).toMatch(/0\.0\.0\.0, beyond this machine/);
    expect(new URL(wide.server.url).host).toBe(`127.0.0.1:${wide.port}`);
  });

  it('makes a fresh 256-bit token per launch and puts it in the URL only', async () => {
    const { source } = createFakeSession();
    const [a, b] = [await startServer(source), await startServer(source)];
    expect(Buffer.from(a.token, 'base64url')).toHaveLength(32);
    expect(a.token).not.toBe(b.token);
    expect(a.server.url).toBe(`http://127.0.0.1:${a.port}/?token=${a.token}`);
  });

  it('exchanges ?token= for an HttpOnly SameSite=Strict cookie and redirects to /, so the token leaves the URL', async () => {
    const { source } = createFakeSession();
    const test = await startServer(source);
    const host = { Host: `127.0.0.1:${test.port}` };
    const ok = await fetchRaw(test.port, `/?token=${test.token}`, { headers: host });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/');
    expect(ok.headers['set-cookie']).toEqual([`orchestrate-${test.port}=${test.token}; HttpOnly; SameSite=Strict; Path=/`]);
    expect(ok.headers['referrer-policy']).toBe('no-referrer');
    const cookie = ok.headers['set-cookie']![0]!.split(';')[0]!;
    expect((await fetchRaw(test.port, '/api/session', { headers: { ...host, Cookie: cookie } })).status).toBe(200);
    const wrong = await fetchRaw(test.port, '/?token=nope', { headers: host });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('requires the cookie or a bearer token on /api, /metrics and /ws, and refuses another run\'s token', async () => {
    const { source } = createFakeSession();
    const test = await startServer(source);
    const other = await startServer(source);
    for (const path of ['/api/health', '/api/session', '/api/events', '/metrics']) {
      expect((await fetchRaw(test.port, path)).status).toBe(401);
      expect((await fetchRaw(test.port, path, { headers: { Authorization: `Bearer ${other.token}` } })).status).toBe(401);
      expect((await fetchRaw(test.port, path, { headers: { Cookie: `orchestrate-${test.port}=${other.token}` } })).status).toBe(401);
      expect((await fetchRaw(test.port, path, { headers: { Authorization: `Bearer ${test.token}` } })).status).toBe(200);
      expect((await fetchRaw(test.port, path, { headers: { Cookie: `a=b; orchestrate-${test.port}=${test.token}` } })).status).toBe(200);
    }
    expect(await statusOf(connectClient(test.port, { Origin: test.origin }))).toBe(401);
    expect(await statusOf(connectClient(test.port, { Origin: test.origin, Authorization: `Bearer ${other.token}` }))).toBe(401);
    expect(await statusOf(connectClient(test.port, { Origin: test.origin, Cookie: `orchestrate-${test.port}=${test.token}` }))).toBe(101);
  });

  it('accepts only the exact Host names of its own port, on requests and upgrades (DNS rebinding)', async () => {
    const { source } = createFakeSession();
    const test = await startServer(source);
    const auth = { Authorization: `Bearer ${test.token}` };
    for (const good of [`127.0.0.1:${test.port}`, `localhost:${test.port}`, `[::1]:${test.port}`]) {
      expect((await fetchRaw(test.port, '/api/health', { headers: { ...auth, Host: good } })).status).toBe(200);
    }
    for (const bad of [`attacker.example:${test.port}`, `localhost.attacker.example:${test.port}`, `127.0.0.1.nip.io:${test.port}`, `127.0.0.1:${test.port + 1}`, '127.0.0.1', '[']) {
      const response = await fetchRaw(test.port, '/api/health', { headers: { ...auth, Host: bad } });
      expect(response.status, bad).toBe(403);
      expect(response.body).not.toContain('sessionId');
      expect(await statusOf(connectClient(test.port, { ...goodHeaders(test), Host: bad })), bad).toBe(403);
    }
    expect(await sendRawBytes(test.port, 'GET /api/health HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 (400|403)/);
    expect(await sendRawBytes(test.port, 'GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
  });

  it('opens a WebSocket only for the exact dashboard origin (or none, as CLI clients send) with the token', async () => {
    const { source } = createFakeSession();
    const test = await startServer(source);
    const token = `Bearer ${test.token}`;
    const origins = ['http://evil.example', 'http://192.168.1.5:8080', 'null', `http://127.0.0.1:${test.port + 1}`, `http://127.0.0.1:${test.port}.evil.example`, `https://127.0.0.1:${test.port}`];
    for (const origin of origins) {
      expect(await statusOf(connectClient(test.port, { Origin: origin, Authorization: token })), origin).toBe(403);
      expect(await statusOf(connectClient(test.port, { Origin: origin })), origin).toBe(403);
    }
    for (const origin of [test.origin, `http://localhost:${test.port}`, `http://[::1]:${test.port}`]) {
      expect(await statusOf(connectClient(test.port, { Origin: origin, Authorization: token })), origin).toBe(101);
    }
    // A missing Origin bypasses nothing: a local process still needs the token.
    expect(await statusOf(connectClient(test.port, {}))).toBe(401);
    expect(await statusOf(connectClient(test.port, { Authorization: token }))).toBe(101);
    expect(await statusOf(connectClient(test.port, { Origin: test.origin, Authorization: token }, '/other'))).toBe(404);
  });

  it('changes nothing over HTTP: GET has no side effects and other methods need the exact origin, then get 405', async () => {
    const session = createFakeSession();
    const test = await startServer(session.source);
    const auth = { Authorization: `Bearer ${test.token}` };
    expect((await fetchRaw(test.port, '/api/agents/1/stop', { headers: auth })).status).toBe(404);
    expect((await fetchRaw(test.port, '/api/session?stop=1', { headers: auth })).status).toBe(200);
    const evil = await fetchRaw(test.port, '/api/session', { method: 'POST', headers: { ...auth, Origin: 'http://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(evil.status).toBe(403);
    expect((await fetchRaw(test.port, '/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: test.origin } })).status).toBe(401);
    const same = await fetchRaw(test.port, '/api/session', { method: 'POST', headers: { ...auth, Origin: test.origin } });
    expect(same.status).toBe(405);
    expect(same.headers.allow).toBe('GET, HEAD');
    expect(session.controls).toEqual([]);
  });

  it('refuses cross-site subresource loads (XSSI) and sends nosniff, CORP same-origin and a CSP on every response', async () => {
    const { source } = createFakeSession();
    const test = await startServer(source);
    const xssi = { 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Dest': 'script' };
    expect((await fetchRaw(test.port, '/assets/app.js', { headers: xssi })).status).toBe(403);
    expect((await fetchRaw(test.port, '/', { headers: { ...xssi, 'Sec-Fetch-Site': 'same-site' } })).status).toBe(403);
    for (const path of ['/', '/assets/app.js', '/api/session', '/nothing']) {
      const response = await fetchRaw(test.port, path);
      expect(response.headers['x-content-type-options'], path).toBe('nosniff');
      expect(response.headers['cross-origin-resource-policy'], path).toBe('same-origin');
      expect(response.headers['content-security-policy'], path).toMatch(/frame-ancestors 'none'/);
      expect(response.headers['access-control-allow-origin'], path).toBeUndefined();
    }
  });

  it('answers malformed requests and handshakes with 400 and keeps serving (CVE-2026-14631)', async () => {
    const { source } = createFakeSession();
    const test = await startServer(source);
    const host = `127.0.0.1:${test.port}`;
    const garbage = [
      'GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n',
      `GET / HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      '\u0000\u00ff\u0001 nonsense\r\n\r\n',
      `GET /%E0%A4%A / HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
      `GET /ws HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\nAuthorization: Bearer ${test.token}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    ];
    for (const bytes of garbage) expect(await sendRawBytes(test.port, bytes), JSON.stringify(bytes.slice(0, 30))).toMatch(/^HTTP\/1\.1 400/);
    for (const path of ['/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc/passwd', '//evil.example/x', '/a#b']) {
      expect((await sendRawBytes(test.port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)).slice(0, 12), path).toMatch(/400|404/);
    }
    // Random Host and Origin values: every answer is a refusal, none a crash.
    const random = () => Array.from({ length: 1 + Math.floor(Math.random() * 60) }, () => String.fromCharCode(33 + Math.floor(Math.random() * 94))).join('');
    for (let i = 0; i < 200; i += 1) {
      const reply = await sendRawBytes(test.port, `GET /api/health HTTP/1.1\r\nHost: ${random()}\r\nOrigin: ${random()}\r\nConnection: close\r\n\r\n`);
      expect(reply).toMatch(/^HTTP\/1\.1 (400|403)/);
    }
    expect((await fetchRaw(test.port, '/api/health', { headers: { Authorization: `Bearer ${test.token}` } })).status).toBe(200);
  });

  it('never writes the token anywhere but the URL it returns', async () => {
    const writes: string[] = [];
    const capture = (chunk: unknown) => (writes.push(String(chunk)), true);
    const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
    const { source } = createFakeSession();
    const first = await startServer(source);
    const test = await startServer(source, { port: first.port, host: 'localhost' });
    await fetchRaw(test.port, `/?token=${test.token}x`);
    await fetchRaw(test.port, '/api/health', { headers: { Authorization: `Bearer ${test.token}` } });
    await statusOf(connectClient(test.port, { Origin: 'http://evil.example', Authorization: `Bearer ${test.token}` }));
    spies.forEach((spy) => spy.mockRestore());
    expect(test.warnings).toEqual([`port ${first.port} is in use; the dashboard listens on port ${test.port} instead`]);
    expect([...writes, ...test.warnings].join('\n')).not.toContain(test.token);
  });

  it('caps concurrent clients and admits a new one when a place frees up', async () => {
    const { source } = createFakeSession();
    const test = await startServer(source, { limits: { maxClients: 2 } });
    const a = await connectClient(test.port, goodHeaders(test));
    await connectClient(test.port, goodHeaders(test));
    expect(await statusOf(connectClient(test.port, goodHeaders(test)))).toBe(503);
    a.ws.close();
    await a.closed;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await statusOf(connectClient(test.port, goodHeaders(test)))).toBe(101);
  });
});
