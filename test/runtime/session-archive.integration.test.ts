import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/domain/index.js';
import { ReplayTimelineSchema, type BatchItem, type InspectionRecord, type ReplayTimeline } from '../../src/protocol/index.js';
import { createSessionArchive } from '../../src/runtime/dashboard/session-archive.js';
import { cleanupAll, createFakeSession, fetchRaw, startServer } from '../ws-server/support.js';
import { startSimSession, type SimSession } from '../support/sim-session.js';

let current: SimSession | undefined;
afterEach(async () => {
  await cleanupAll();
  await current?.cleanup();
  current = undefined;
});

// A finished session on simulated agents whose architect fails to log in, so the tier drops once.
async function recordSession(): Promise<SimSession> {
  current = await startSimSession({ scenarios: { gemini: { steps: [{ fail: { kind: 'auth' } }] } } });
  await current.session.done;
  return current;
}

const logOf = (items: BatchItem[]) => items.flatMap((item) => (item.kind === 'log' ? [item.entry] : []));
const recordsOf = (items: BatchItem[]) => items.filter((item): item is InspectionRecord => item.kind !== 'log');

async function replayOf(sim: SimSession): Promise<ReplayTimeline> {
  const archive = createSessionArchive({ db: sim.session.database, store: sim.session.store });
  const result = await archive.replay(sim.session.sessionId);
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.timeline;
}

describe('the session archive', () => {
  it('lists the workspace sessions with their state, tier path and cost', async () => {
    const sim = await recordSession();
    const archive = createSessionArchive({ db: sim.session.database, store: sim.session.store });
    const [listing] = archive.list();
    expect(listing).toMatchObject({ sessionId: sim.session.sessionId, state: 'completed', task: 'add a farewell function', live: false });
    expect(listing!.tiers).toEqual(['trio', 'claude-codex']);
    expect(listing!.endedAt).toBeGreaterThanOrEqual(listing!.startedAt);
  });

  it('replays a recorded session: every event once in order, each followed by what the machines did with it', async () => {
    const sim = await recordSession();
    const timeline = await replayOf(sim);
    expect(timeline.matchesRecording).toBe(true);
    const stored = sim.storedEvents();
    expect(logOf(timeline.items).map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
    expect(timeline.lastSeq).toBe(stored.at(-1)!.seq);

    const records = recordsOf(timeline.items);
    const created = records.filter((r) => r.kind === 'actor').map((r) => (r as { id: string }).id);
    expect(created).toEqual(expect.arrayContaining(['session', 'worker:design', 'worker:design:2', 'worker:implement', 'worker:validate']));
    // Records are placed at the event the machines were fed, not at the end of the queued log: the
    // implement worker is created after the design checkpoint and before its agent starts.
    const seqOf = (match: (e: LogEntry) => boolean) => stored.find(match)!.seq;
    const implement = records.find((r) => r.kind === 'actor' && r.id === 'worker:implement')!;
    expect(implement.atSeq).toBeGreaterThanOrEqual(seqOf((e) => e.type === 'phase.checkpointed' && (e as { phaseId: string }).phaseId === 'design'));
    expect(implement.atSeq).toBeLessThan(seqOf((e) => e.type === 'process.spawned' && e.workerId === 'worker:implement'));
    const position = timeline.items.indexOf(implement);
    expect(logOf(timeline.items.slice(0, position)).at(-1)!.seq).toBe(implement.atSeq);

    const sessionActor = records.find((r) => r.kind === 'actor' && r.id === 'session')!.actorId;
    const last = records.filter((r) => r.kind === 'snapshot' && r.actorId === sessionActor).at(-1) as Extract<InspectionRecord, { kind: 'snapshot' }>;
    expect(last.value).toBe('completed');
    expect(last.context).toMatchObject({ task: 'add a farewell function', phaseIndex: 3 });
  });

  it('refuses what it cannot replay with a stable code', async () => {
    const sim = await recordSession();
    const small = createSessionArchive({ db: sim.session.database, store: sim.session.store }, 5);
    expect(await small.replay(sim.session.sessionId)).toMatchObject({ ok: false, code: 'TOO_LARGE' });
    expect(await small.replay('no-such-session')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('is served behind the token: the list, and a replay the protocol schema accepts', async () => {
    const sim = await recordSession();
    const fake = createFakeSession();
    const test = await startServer(fake.source, { archive: createSessionArchive({ db: sim.session.database, store: sim.session.store }) });
    const auth = { Authorization: `Bearer ${test.token}` };
    const host = { Host: `127.0.0.1:${test.port}` };
    expect((await fetchRaw(test.port, '/api/sessions', { headers: host })).status).toBe(401);
    const list = await fetchRaw(test.port, '/api/sessions', { headers: { ...host, ...auth } });
    expect(JSON.parse(list.body).sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual([sim.session.sessionId]);
    const replay = await fetchRaw(test.port, `/api/sessions/${sim.session.sessionId}/replay`, { headers: { ...host, ...auth } });
    expect(replay.status).toBe(200);
    expect(ReplayTimelineSchema.safeParse(JSON.parse(replay.body)).success).toBe(true);
    expect((await fetchRaw(test.port, '/api/sessions/nope/replay', { headers: { ...host, ...auth } })).status).toBe(404);
    expect((await fetchRaw(test.port, '/api/sessions/..%2F..%2Fetc/replay', { headers: { ...host, ...auth } })).status).toBe(404);
  });

  it('lists only the live session when the server has no archive', async () => {
    const fake = createFakeSession();
    const test = await startServer(fake.source);
    const response = await fetchRaw(test.port, '/api/sessions', { headers: { Host: `127.0.0.1:${test.port}`, Authorization: `Bearer ${test.token}` } });
    expect(JSON.parse(response.body).sessions).toEqual([expect.objectContaining({ sessionId: 's1', live: true, tiers: ['trio'], costUsd: 0.25 })]);
  });
});
