import { afterEach, describe, expect, it } from 'vitest';
import { readProcessStat } from '../../src/adapters/process/process-groups.js';
import type { LogEntry } from '../../src/domain/index.js';
import { checkIntegrity, openDatabase } from '../../src/store/database.js';
import { waitUntil } from '../support/processes.js';
import { singlePhasePlan, startSimSession, type SimSession } from '../support/sim-session.js';

let current: SimSession | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

const ofType = (entries: LogEntry[], type: LogEntry['type']) => entries.filter((e) => e.type === type);

describe('the session store under faults', () => {
  it('pauses the agents while the disk is full and goes on, losing nothing, when space returns', async () => {
    current = await startSimSession({
      plan: singlePhasePlan('claude'),
      agents: ['claude'],
      scenarios: { claude: { steps: [{ events: { count: 300, intervalMs: 5 } }] } },
    });
    const { session, entries } = current;
    await waitUntil(() => ofType(entries, 'agent.message').length > 20, 10_000, 'output');
    const db = session.database;
    const pages = Number(db.pragma('page_count', { simple: true }));
    // No page may be added: the next batch of events fails with SQLITE_FULL.
    db.pragma(`max_page_count = ${pages}`);
    const pid = (ofType(entries, 'process.spawned')[0] as Extract<LogEntry, { type: 'process.spawned' }>).pid;
    await waitUntil(() => readProcessStat(pid)?.state === 'T', 10_000, 'the agent to be stopped');
    const heard = entries.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(entries.length).toBe(heard);
    db.pragma('max_page_count = 1073741823');
    const summary = await session.done;
    expect(summary.status).toBe('completed');
    const stored = current.storedEvents();
    expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
    expect(ofType(stored, 'store.intakePaused')).toHaveLength(1);
    expect((ofType(stored, 'store.intakePaused')[0] as { reason: string }).reason).toMatch(/disk full/);
    expect(ofType(stored, 'store.intakeResumed')).toHaveLength(1);
    expect(ofType(stored, 'agent.message').length).toBeGreaterThanOrEqual(300);
  });

  it('waits out a database another process holds locked, losing nothing', async () => {
    current = await startSimSession({
      plan: singlePhasePlan('codex'),
      agents: ['codex'],
      scenarios: { codex: { steps: [{ events: { count: 200, intervalMs: 5 } }] } },
    });
    const { session, entries } = current;
    await waitUntil(() => ofType(entries, 'agent.message').length > 10, 10_000, 'output');
    const other = openDatabase(current.dbPath);
    other.exec('BEGIN IMMEDIATE');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    other.exec('COMMIT');
    other.close();
    const summary = await session.done;
    expect(summary.status).toBe('completed');
    const stored = current.storedEvents();
    expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
    expect(ofType(stored, 'agent.message').length).toBeGreaterThanOrEqual(200);
    const check = openDatabase(current.dbPath, { readonly: true });
    expect(checkIntegrity(check, 'full')).toEqual([]);
    check.close();
  });
});
