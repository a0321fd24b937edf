import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupAll, createFakeSession, fetchRaw, startServer, type TestServer } from './support.js';

const dirs: string[] = [];
afterEach(async () => {
  await cleanupAll();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function builtDashboard(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orchestrate-dashboard-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("dashboard")');
  writeFileSync(join(dir, 'assets', 'app.css'), 'body{}');
  return dir;
}

const api = (test: TestServer, path: string) => fetchRaw(test.port, path, { headers: { Authorization: `Bearer ${test.token}` } });
const json = async (test: TestServer, path: string) => JSON.parse((await api(test, path)).body) as Record<string, unknown>;

describe('dashboard server over HTTP', () => {
  it('serves the built dashboard with Content-Types, and pages with a strict CSP', async () => {
    const { source } = createFakeSession();
    const test = await startServer(source, { dashboardDir: builtDashboard() });
    const page = await fetchRaw(test.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('/assets/app.js');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    // IPv6 literals are invalid CSP sources (browsers report and ignore them): [::1] is left to 'self'.
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${test.port} ws://localhost:${test.port};`);
    expect(csp).not.toContain('unsafe');
    const script = await fetchRaw(test.port, '/assets/app.js');
    expect([script.status, script.headers['content-type'], script.body]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log("dashboard")']);
    expect((await fetchRaw(test.port, '/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const head = await fetchRaw(test.port, '/assets/app.js', { method: 'HEAD' });
    expect([head.status, head.body, head.headers['content-length']]).toEqual([200, '', '24']);
    expect((await fetchRaw(test.port, '/assets/missing.js')).status).toBe(404);
    expect((await fetchRaw(test.port, '/assets')).status).toBe(404);
    expect((await fetchRaw(test.port, '/..%2f..%2fetc%2fpasswd')).status).toBe(400);
    expect((await fetchRaw(test.port, '/assets/%2e%2e/index.html')).status).toBe(400);
  });

  it('shows a page saying the dashboard is not built when there is none', async () => {
    const { source } = createFakeSession();
    const test = await startServer(source, { dashboardDir: join(tmpdir(), 'orchestrate-no-such-dashboard') });
    const page = await fetchRaw(test.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('The dashboard is not built');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await fetchRaw(test.port, '/assets/app.js')).status).toBe(404);
    expect((await fetchRaw(test.port, '/ws')).status).toBe(426);
  });

  it('answers the read API from the session source', async () => {
    const session = createFakeSession();
    await session.append(30);
    const test = await startServer(session.source);
    expect(await json(test, '/api/health')).toEqual({ ok: true, sessionId: 's1', lastSeq: 30, clients: 0 });
    expect(await json(test, '/api/session')).toMatchObject({ session: { task: 'add a greeting' }, status: 'active', paused: false, tier: 'trio' });
    expect(await json(test, '/api/workers')).toEqual({ workers: [{ workerId: 'worker:design', phaseId: 'design', agent: 'gemini', state: 'live.running' }] });
    expect(await json(test, '/api/tiers')).toMatchObject({ tier: 'trio', tierPath: [{ to: 'trio' }], available: ['claude', 'codex', 'gemini'] });
    for (const kind of ['reviews', 'decisions', 'recovery']) expect(await json(test, `/api/${kind}`)).toEqual({ [kind]: [{ id: 1, seq: 3, body: { kind } }] });
    expect(await json(test, '/api/summary')).toEqual({ summary: null, usage: { inputTokens: 120, outputTokens: 30, costUsd: 0.25 } });
    const page = (await json(test, '/api/events?from=11&limit=5')) as { events: { seq: number }[]; nextSeq: number; lastSeq: number };
    expect([page.events.map((e) => e.seq), page.nextSeq, page.lastSeq]).toEqual([[11, 12, 13, 14, 15], 16, 30]);
    expect(((await json(test, '/api/events')) as { events: unknown[] }).events).toHaveLength(30);
    expect(await json(test, '/api/events?from=31')).toEqual({ events: [], nextSeq: 31, lastSeq: 30 });
    for (const bad of ['from=0', 'from=x', 'limit=0', 'limit=1001', 'from=-1', 'from=1e3']) expect((await api(test, `/api/events?${bad}`)).status, bad).toBe(400);
    expect((await api(test, '/api/nothing')).status).toBe(404);
    const response = await api(test, '/api/session');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('answers 503 HISTORY_UNAVAILABLE when the store cannot be read', async () => {
    const session = createFakeSession();
    await session.append(3);
    session.source.readEvents = () => {
      throw new Error('the database is closed');
    };
    const test = await startServer(session.source);
    const response = await api(test, '/api/events');
    expect([response.status, JSON.parse(response.body)]).toEqual([503, { error: 'HISTORY_UNAVAILABLE' }]);
  });

  it('renders its metrics in the Prometheus text format', async () => {
    const session = createFakeSession();
    const test = await startServer(session.source);
    session.log.append('w1', { type: 'agent.unparsed', reason: 'oversized', line: 'x', bytes: 9_999_999 });
    session.log.append('w1', { type: 'agent.unparsed', reason: 'invalidJson', line: '{', bytes: 1 });
    await session.append(3);
    const response = await api(test, '/metrics');
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const lines = response.body.split('\n');
    for (const expected of [
      'orchestrate_events_total{type="agent.unparsed"} 2',
      'orchestrate_events_total{type="agent.message"} 3',
      'orchestrate_last_seq 5',
      'orchestrate_workers{state="live.running"} 1',
      'orchestrate_tier_changes_total 1',
      'orchestrate_worker_restarts_total 0',
      'orchestrate_tokens_total{direction="input"} 120',
      'orchestrate_cost_usd_total 0.25',
      'orchestrate_dropped_lines_total 1',
      'orchestrate_dashboard_clients 0',
    ]) {
      expect(lines).toContain(expected);
    }
    // Every sample belongs to a family declared with HELP and TYPE.
    const declared = new Set(lines.filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]));
    for (const sample of lines.filter((l) => l && !l.startsWith('#'))) expect(declared.has(sample.split(/[{ ]/)[0])).toBe(true);
  });
});
