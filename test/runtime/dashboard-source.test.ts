import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { addUsage, createDefaultPlan, ZERO_USAGE, type ConfigFile, type ControlCommand, type UsageTotals } from '../../src/domain/index.js';
import { provideSessionActors } from '../../src/machines/index.js';
import { InspectionRecordSchema, SessionDigestSchema, type InspectionRecord } from '../../src/protocol/index.js';
import { openDatabase } from '../../src/store/database.js';
import { createEventLog } from '../../src/store/event-log.js';
import { createEventWriter } from '../../src/store/event-writer.js';
import { createSessionStore } from '../../src/store/session-store.js';
import { createSessionSource } from '../../src/runtime/dashboard/session-source.js';
import { createFakeAgentProcess, createFakeCheckpoint, createFakeProbe } from '../support/fake-actors.js';
import { waitUntil } from '../ws-server/support.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// A session machine on fake agents (the design phase's agent runs until stopped), wired to a real
// store and log the way launchSession wires them.
async function startSession() {
  const dir = mkdtempSync(join(tmpdir(), 'orchestrate-source-'));
  const db = openDatabase(join(dir, 'state.db'));
  const store = createSessionStore(db);
  const plan = createDefaultPlan();
  const record = store.createSession({
    id: 's1', task: 'add a greeting', target: 'repo', workspace: 'ws', branch: 'orchestrate/s1', plan,
    config: { agents: {}, extraDirs: [] } as unknown as ConfigFile, agents: ['claude', 'codex', 'gemini'], state: 'running', startedAt: 1,
  });
  const writer = createEventWriter(db, { flushIntervalMs: 2, onCommitted: (entries) => log.published(entries) });
  const log = createEventLog('s1', { storage: writer });
  const machine = provideSessionActors({
    agentProcess: createFakeAgentProcess({ gemini: { runUntilStopped: true } }),
    probeAgents: createFakeProbe({}),
    commitCheckpoint: createFakeCheckpoint(),
  });
  const input = { sessionId: 's1', task: record.task, plan, agents: record.agents, workers: { cwd: dir, extraDirs: [], models: {}, idleTimeoutMs: 60_000, wallTimeoutMs: 60_000 } };
  const actor = createActor(machine, { id: 'session', systemId: 'session', input });
  const usage: Record<string, UsageTotals> = {};
  const control = (command: ControlCommand) => {
    log.append('session', { type: 'control.received', command });
    actor.send(command);
  };
  const source = createSessionSource({ record, log, db, store, actor, usageByWorker: () => usage, control });
  cleanups.push(async () => {
    actor.stop();
    await log.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  actor.start();
  await waitUntil(() => actor.getSnapshot().context.currentWorker?.getSnapshot().value !== undefined && source.digest().workers[0]?.state === 'live.running', 3000, 'the first worker');
  return { source, actor, log, writer, store, db, usage };
}

describe('createSessionSource', () => {
  it('describes the running session as a digest the protocol accepts', async () => {
    const { source, usage } = await startSession();
    usage['worker:design'] = addUsage(ZERO_USAGE, { type: 'agent.usage', inputTokens: 10, outputTokens: 4, costUsd: 0.5 });
    const digest = source.digest();
    expect(SessionDigestSchema.parse(JSON.parse(JSON.stringify(digest)))).toEqual(digest);
    expect(digest).toMatchObject({ status: 'active', paused: false, tier: 'trio', available: ['claude', 'codex', 'gemini'], usage: { inputTokens: 10, costUsd: 0.5 } });
    expect(digest.workers).toEqual([{ workerId: 'worker:design', phaseId: 'design', agent: 'gemini', state: 'live.running', usage: { inputTokens: 10, outputTokens: 4, costUsd: 0.5 } }]);
    expect(digest.phases.map((p) => [p.phaseId, p.status])).toEqual([['design', 'running'], ['implement', 'pending'], ['validate', 'pending']]);
    const machines = digest.actors.map((a) => [a.id, a.machine]);
    expect(machines).toContainEqual(['session', 'session']);
    expect(machines).toContainEqual(['worker:design', 'worker']);
    expect(digest.actors.find((a) => a.id === 'worker:design')?.parentId).toBe(digest.actors[0]!.actorId);
    expect(source.machines()).toMatchObject({ session: { id: 'session' }, worker: { id: 'worker' } });
    expect(source.info()).toEqual({ sessionId: 's1', task: 'add a greeting', target: 'repo', branch: 'orchestrate/s1', agents: ['claude', 'codex', 'gemini'], startedAt: 1, state: 'running' });
  });

  it('hands commands to the session and refuses what it cannot do with stable codes', async () => {
    const { source, actor, log } = await startSession();
    expect(source.control({ type: 'worker.pause', workerId: 'worker:nobody' })).toEqual({ ok: false, code: 'UNKNOWN_WORKER' });
    // This session runs without reviews, and nothing waits for a person.
    expect(source.control({ type: 'review.request' })).toEqual({ ok: false, code: 'NOT_NOW' });
    expect(source.control({ type: 'approval.answer', approvalId: 'a', approve: true })).toEqual({ ok: false, code: 'UNKNOWN_APPROVAL' });
    expect(source.control({ type: 'session.pause' })).toEqual({ ok: true });
    expect(source.digest().paused).toBe(true);
    expect(source.control({ type: 'worker.resume', workerId: 'worker:design' })).toEqual({ ok: true });
    expect(source.control({ type: 'session.stop' })).toEqual({ ok: true });
    await waitUntil(() => actor.getSnapshot().status === 'done', 3000, 'the session to stop');
    expect(source.control({ type: 'session.resume' })).toEqual({ ok: false, code: 'SESSION_ENDED' });
    expect(source.digest().status).toBe('done');
    await log.close();
    expect(source.readEvents({ fromSeq: 1, toSeq: 100 }).map((e) => e.type)).toEqual(['control.received', 'control.received', 'control.received']);
  });

  it('feeds inspection records only while someone listens', async () => {
    const { source } = await startSession();
    const records: InspectionRecord[] = [];
    const stop = source.subscribeInspection((record) => records.push(record));
    source.control({ type: 'session.pause' });
    for (const record of records) expect(InspectionRecordSchema.parse(record)).toEqual(record);
    expect(records).toContainEqual(expect.objectContaining({ kind: 'received', event: { type: 'session.pause' } }));
    const paused = records.find((r) => r.kind === 'snapshot' && r.event === 'session.pause');
    expect(paused).toMatchObject({ value: { active: { control: 'paused' } } });
    expect(paused?.kind === 'snapshot' && paused.transitions).toContainEqual({ source: 'session.active.control.running', targets: ['session.active.control.paused'] });
    // The context as it was then, plain JSON: the running worker is a reference, not the actor.
    expect(paused).toMatchObject({ context: { sessionId: 's1', task: 'add a greeting', phaseIndex: 0, currentWorker: { id: 'worker:design' } } });
    expect(records.find((r) => r.kind === 'received' && r.event.type === 'worker.pause')).toBeDefined();
    stop();
    const seen = records.length;
    source.control({ type: 'session.resume' });
    expect(records).toHaveLength(seen);
  });

  it('reads committed history and its notes from the store, and tracks the last committed seq', async () => {
    const { source, log, writer, store } = await startSession();
    for (let i = 0; i < 5; i += 1) log.append('worker:design', { type: 'agent.message', text: `m${i}` });
    expect(source.lastCommittedSeq()).toBe(0);
    await writer.flush();
    expect(source.lastCommittedSeq()).toBe(5);
    expect(source.readEvents({ fromSeq: 2, toSeq: 4 }).map((e) => e.seq)).toEqual([2, 3, 4]);
    store.recordReview('s1', 3, { verdict: 'ok' });
    expect(source.notes('reviews')).toMatchObject([{ seq: 3, body: { verdict: 'ok' } }]);
    expect(source.notes('decisions')).toEqual([]);
    expect(source.summary()).toBeNull();
  });
});
