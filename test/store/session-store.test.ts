import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDefaultPlan, type ConfigFile } from '../../src/domain/index.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import type { CorruptRow } from '../../src/store/rows.js';
import { createSessionStore, type NewSession, type SessionStore } from '../../src/store/session-store.js';
import { removeTempDirs, tempDbPath } from './support.js';

let db: Db;
let store: SessionStore;
let corrupt: CorruptRow[];

beforeEach(() => {
  db = openDatabase(tempDbPath());
  corrupt = [];
  store = createSessionStore(db, { onCorrupt: (row) => corrupt.push(row) });
});

afterEach(() => {
  db.close();
  removeTempDirs();
});

function newSession(id: string, startedAt: number): NewSession {
  return {
    id,
    task: 'fix the bug',
    target: 'repo',
    workspace: 'repo/.orchestrate',
    branch: `orchestrate/${id}`,
    plan: createDefaultPlan(),
    config: { agents: {}, extraDirs: [] } as unknown as ConfigFile,
    agents: ['claude', 'codex'],
    state: 'running',
    startedAt,
  };
}

describe('session store: sessions', () => {
  it('creates, reads back, updates and lists sessions newest first', () => {
    const created = store.createSession(newSession('a', 1000));
    store.createSession({ ...newSession('b', 3000), worktree: 'wt/b', repoRoot: 'repo' });
    store.createSession(newSession('c', 2000));
    expect(store.getSession('a')).toEqual(created);
    expect(created).toMatchObject({ worktree: null, repoRoot: null, endedAt: null, summary: null, tierPath: [] });
    expect(store.listSessions().map((s) => s.id)).toEqual(['b', 'c', 'a']);
    expect(store.listSessions(1).map((s) => s.id)).toEqual(['b']);

    const tierPath = [{ from: 'trio' as const, to: 'claude-codex' as const, reason: 'gemini is unavailable' }];
    expect(store.updateSession('a', { state: 'completed', endedAt: 5000, tierPath, summary: { sessionId: 'a' } as never })).toBe(true);
    expect(store.getSession('a')).toMatchObject({ state: 'completed', endedAt: 5000, tierPath, summary: { sessionId: 'a' }, task: 'fix the bug' });
    expect(store.updateSession('a', { summary: null, endedAt: null })).toBe(true);
    expect(store.getSession('a')).toMatchObject({ summary: null, endedAt: null });
    expect(store.updateSession('missing', { state: 'failed' })).toBe(false);
    expect(() => store.updateSession('a', { id: 'z' } as never)).toThrow(/id/);
    expect(() => store.createSession(newSession('a', 1))).toThrow(/UNIQUE/);
    expect(corrupt).toEqual([]);
  });

  it('skips and reports a session row whose JSON is damaged', () => {
    store.createSession(newSession('a', 1000));
    store.createSession(newSession('b', 2000));
    db.prepare("UPDATE sessions SET agents = '[\"someone\"]' WHERE id = 'a'").run();
    db.prepare("UPDATE sessions SET plan = '{' WHERE id = 'b'").run();
    expect(store.getSession('a')).toBeUndefined();
    expect(store.listSessions()).toEqual([]);
    expect(corrupt.map((row) => `${row.table} ${row.key}`)).toEqual(['sessions a', 'sessions b', 'sessions a']);
    expect(corrupt[0]?.reason).toMatch(/^agents: /);
    expect(corrupt[1]?.reason).toMatch(/^plan: invalid JSON/);
  });

  it('runs several writes in one transaction, all or nothing', () => {
    expect(() =>
      store.transaction(() => {
        store.createSession(newSession('a', 1));
        throw new Error('changed my mind');
      }),
    ).toThrow(/changed my mind/);
    expect(store.getSession('a')).toBeUndefined();
  });
});

describe('session store: workers and process groups', () => {
  beforeEach(() => void store.createSession(newSession('s', 1)));

  it('upserts workers, keeping fields a later update leaves out', () => {
    store.upsertWorker({ sessionId: 's', workerId: 'w1', phaseId: 'plan', role: 'architect', agent: 'claude', state: 'starting', startedAt: 10, cwd: 'wt' });
    store.upsertWorker({ sessionId: 's', workerId: 'w1', agent: 'claude', state: 'running', startedAt: 99, vendorSessionId: 'abc' });
    store.upsertWorker({ sessionId: 's', workerId: 'w0', agent: 'codex', state: 'starting', startedAt: 5 });
    expect(store.listWorkers('s')).toEqual([
      { sessionId: 's', workerId: 'w0', phaseId: null, role: null, agent: 'codex', state: 'starting', vendorSessionId: null, cwd: null, startedAt: 5, endedAt: null },
      { sessionId: 's', workerId: 'w1', phaseId: 'plan', role: 'architect', agent: 'claude', state: 'running', vendorSessionId: 'abc', cwd: 'wt', startedAt: 10, endedAt: null },
    ]);
    expect(() => store.upsertWorker({ sessionId: 'unknown', workerId: 'w', agent: 'claude', state: 'x', startedAt: 1 })).toThrow(/FOREIGN KEY/);
  });

  it('records process groups, ends them by pgid, and lists the open ones per session or overall', () => {
    store.createSession(newSession('t', 2));
    const first = store.recordProcessGroup({ sessionId: 's', workerId: 'w1', pid: 100, pgid: 100, startTime: 123456, spawnedAt: 1 });
    store.recordProcessGroup({ sessionId: 's', workerId: 'w2', pid: 200, pgid: 200, spawnedAt: 2 });
    store.recordProcessGroup({ sessionId: 't', workerId: 'w1', pid: 300, pgid: 300, spawnedAt: 3 });
    expect(store.endProcessGroup('s', 100, 50)).toBe(1);
    expect(store.endProcessGroup('s', 100, 60)).toBe(0);
    // The kernel may hand the same pgid to a later group of the same session.
    store.recordProcessGroup({ sessionId: 's', workerId: 'w3', pid: 100, pgid: 100, startTime: 999, spawnedAt: 4 });
    expect(store.listOpenProcessGroups('s').map((g) => [g.pgid, g.startTime])).toEqual([
      [200, null],
      [100, 999],
    ]);
    expect(store.listOpenProcessGroups().map((g) => g.pid)).toEqual([200, 300, 100]);
    expect(first).toBeGreaterThan(0);
  });
});

describe('session store: snapshots and notes', () => {
  beforeEach(() => void store.createSession(newSession('s', 1)));

  it('finds the nearest snapshot at or before a seq', () => {
    for (const seq of [10, 20, 30]) store.saveSnapshot('s', seq, seq * 100, { value: `at ${seq}` });
    expect(store.latestSnapshot('s')).toEqual({ sessionId: 's', seq: 30, ts: 3000, snapshot: { value: 'at 30' } });
    expect(store.latestSnapshot('s', 25)?.seq).toBe(20);
    expect(store.latestSnapshot('s', 20)?.seq).toBe(20);
    expect(store.latestSnapshot('s', 5)).toBeUndefined();
    expect(store.latestSnapshot('other')).toBeUndefined();
    store.saveSnapshot('s', 20, 2001, { value: 'again' });
    expect(store.latestSnapshot('s', 25)).toMatchObject({ ts: 2001, snapshot: { value: 'again' } });
  });

  it('looks the nearest snapshot up through the primary-key index', () => {
    const plan = db
      .prepare<[], { detail: string }>("EXPLAIN QUERY PLAN SELECT * FROM snapshots WHERE session_id = 's' AND seq <= 5 ORDER BY seq DESC")
      .all()
      .map((row) => row.detail)
      .join('\n');
    expect(plan).toMatch(/SEARCH snapshots USING INDEX sqlite_autoindex_snapshots_1 \(session_id=\? AND seq<\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it('falls back to an older snapshot when the newest is damaged', () => {
    store.saveSnapshot('s', 10, 1, { ok: 10 });
    store.saveSnapshot('s', 20, 2, { ok: 20 });
    db.prepare("UPDATE snapshots SET snapshot = 'garbage' WHERE seq = 20").run();
    expect(store.latestSnapshot('s')?.seq).toBe(10);
    expect(corrupt.map((row) => row.key)).toEqual(['s#20']);
  });

  it('records and lists reviews, decisions and recovery actions in seq order', () => {
    const id = store.recordReview('s', 7, { verdict: 'changes requested' });
    store.recordReview('s', 3, { verdict: 'ok' });
    store.recordDecision('s', 4, { choice: 'retry' });
    store.recordRecoveryAction('s', 5, { action: 'reap', pgid: 100 });
    expect(store.listReviews('s').map((n) => [n.seq, n.body])).toEqual([
      [3, { verdict: 'ok' }],
      [7, { verdict: 'changes requested' }],
    ]);
    expect(store.listReviews('s')[1]?.id).toBe(id);
    expect(store.listDecisions('s')).toEqual([{ id: expect.any(Number), sessionId: 's', seq: 4, body: { choice: 'retry' } }]);
    expect(store.listRecoveryActions('s').map((n) => n.body)).toEqual([{ action: 'reap', pgid: 100 }]);
    db.prepare("UPDATE decisions SET body = 'x{' ").run();
    expect(store.listDecisions('s')).toEqual([]);
    expect(corrupt.map((row) => row.table)).toEqual(['decisions']);
  });
});
