import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { LogEntry } from '../../src/domain/index.js';
import type { ControlRequest, InspectionRecord, ServerMessage, SessionDigest } from '../../src/protocol/index.js';
import { openDatabase } from '../../src/store/database.js';
import { createEventLog } from '../../src/store/event-log.js';
import { getLastSeq, readEvents } from '../../src/store/event-reader.js';
import { createEventWriter } from '../../src/store/event-writer.js';
import { createDashboardServer, type ControlResult, type DashboardServer, type DashboardServerOptions, type SessionSource } from '../../src/ws-server/index.js';

export const DIGEST: SessionDigest = {
  status: 'active',
  value: { active: { flow: 'working', staffing: 'trio', control: 'running' } },
  paused: false,
  tier: 'trio',
  tierPath: [{ from: null, to: 'trio', reason: 'every enabled agent answered' }],
  available: ['claude', 'codex', 'gemini'],
  unavailable: {},
  phases: [{ phaseId: 'design', status: 'running', workerIds: ['worker:design'] }],
  workers: [{ workerId: 'worker:design', phaseId: 'design', agent: 'gemini', state: 'live.running' }],
  actors: [{ actorId: 'x:0', id: 'session', parentId: null, machine: 'session', status: 'active', value: 'preparing' }],
  usage: { inputTokens: 120, outputTokens: 30, costUsd: 0.25 },
};

/** A session source over a real event log whose entries are committed to a real SQLite file. */
export type FakeSession = Awaited<ReturnType<typeof createFakeSession>>;

const cleanups: (() => Promise<void> | void)[] = [];

// Runs and forgets every cleanup registered since the last call (servers, clients, databases).
export async function cleanupAll(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

// A fake session whose appends go through the real writer: listeners hear entries only once they
// are committed, and history is read back with the real reader.
export function createFakeSession(options: { controlResult?: ControlResult } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'orchestrate-ws-'));
  const db = openDatabase(join(dir, 'state.db'));
  const writer = createEventWriter(db, { flushIntervalMs: 2, onCommitted: (entries) => log.published(entries) });
  const log = createEventLog('s1', { storage: writer });
  let committed = getLastSeq(db, 's1');
  log.subscribe((entry) => (committed = entry.seq));
  const inspectors = new Set<(record: InspectionRecord) => void>();
  const controls: ControlRequest[] = [];
  const source: SessionSource = {
    sessionId: 's1',
    subscribe: (listener) => log.subscribe(listener),
    lastCommittedSeq: () => committed,
    readEvents: (range) => readEvents(db, 's1', range),
    info: () => ({ sessionId: 's1', task: 'add a greeting', target: 'repo', branch: 'orchestrate/s1', agents: ['claude'], startedAt: 1, state: 'running' }),
    digest: () => DIGEST,
    machines: () => ({ session: { id: 'session' }, worker: { id: 'worker' } }),
    subscribeInspection(listener) {
      inspectors.add(listener);
      return () => inspectors.delete(listener);
    },
    control(request) {
      controls.push(request);
      return options.controlResult ?? { ok: true };
    },
    notes: (kind) => [{ id: 1, seq: 3, body: { kind } }],
    summary: () => null,
  };
  const session = {
    source,
    log,
    db,
    controls,
    inspectors,
    /** Appends `count` messages of `size` characters, without waiting for the commit. */
    appendNow(count: number, size = 10): LogEntry[] {
      return Array.from({ length: count }, () => log.append('w1', { type: 'agent.message', text: 'x'.repeat(size) }));
    },
    /** Appends and resolves once everything appended is committed (and heard by the listeners). */
    async append(count: number, size = 10): Promise<LogEntry[]> {
      const entries = session.appendNow(count, size);
      await writer.flush();
      return entries;
    },
  };
  cleanups.push(async () => {
    await log.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return session;
}

/** A server on an ephemeral loopback port, with what tests need to reach it. */
export interface TestServer {
  server: DashboardServer;
  port: number;
  token: string;
  origin: string;
  warnings: string[];
}

// Starts a dashboard server on 127.0.0.1 and a port the OS picks; closed by cleanupAll.
export async function startServer(source: SessionSource, options: Partial<DashboardServerOptions> = {}): Promise<TestServer> {
  const warnings: string[] = [];
  const server = await createDashboardServer({ port: 0, onWarning: (w) => warnings.push(w), ...options, source });
  cleanups.push(() => server.close());
  const token = new URL(server.url).searchParams.get('token')!;
  return { server, port: server.port, token, origin: `http://127.0.0.1:${server.port}`, warnings };
}

/** A WebSocket client that keeps every message, parsed. */
export interface TestClient {
  ws: WebSocket;
  messages: ServerMessage[];
  /** Resolves with the first message (from `from` on) matching `match`; rejects after `timeoutMs`. */
  next<T extends ServerMessage['type']>(type: T, match?: (m: Extract<ServerMessage, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<ServerMessage, { type: T }>>;
  send(message: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
}

// Opens /ws with the given headers; resolves once open, or rejects with the HTTP status of a refusal.
export function connectClient(port: number, headers: Record<string, string>, path = '/ws'): Promise<TestClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers, perMessageDeflate: false });
  const messages: ServerMessage[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as ServerMessage));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  cleanups.push(() => ws.terminate());
  const client: TestClient = {
    ws,
    messages,
    closed,
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    async next(type, match = () => true, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find((m) => m.type === type && match(m as never));
        if (found) return found as never;
        if (Date.now() > deadline) throw new Error(`no ${type} message within ${timeoutMs} ms`);
        await sleep(5);
      }
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_request, response) => {
      reject(Object.assign(new Error(`refused with ${response.statusCode}`), { status: response.statusCode }));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

// Headers of a well-behaved client: the exact origin and the token.
export function goodHeaders(test: TestServer): Record<string, string> {
  return { Origin: test.origin, Authorization: `Bearer ${test.token}` };
}

/** An HTTP response, body included. */
export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

// One HTTP request to the server (any Host header, method and headers).
export function fetchRaw(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

// Writes raw bytes to the port and returns whatever comes back before the server closes (or 2 s pass).
export function sendRawBytes(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1');
    let reply = '';
    const done = () => resolve(reply);
    const timer = setTimeout(() => (socket.destroy(), done()), 2000);
    socket.on('data', (chunk) => (reply += chunk.toString('latin1')));
    socket.on('close', () => (clearTimeout(timer), done()));
    socket.on('error', () => {});
    socket.write(bytes);
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Resolves once `condition` holds, polling every 5 ms; rejects after `timeoutMs`.
export async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}
