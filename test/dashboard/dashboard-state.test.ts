import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/domain/index.js';
import type { ClientMessage, ServerMessage, SessionDigest } from '../../src/protocol/index.js';
import { createControl } from '../../dashboard/src/state/controls.js';
import { applyServerMessage, createDashboardState, isCatchingUp, type DashboardState } from '../../dashboard/src/state/dashboard-state.js';
import { batchOf, DIGEST, hello, makeLog, snapshot, stateRecord } from './fixtures.js';

// Every 10th entry is one input token of usage, so totals show any entry applied twice or missed.
const usageLog = (count: number) =>
  makeLog(count, (seq) => (seq % 10 === 0 ? { type: 'agent.usage', inputTokens: 1, outputTokens: 0 } : { type: 'agent.message', text: `line ${seq}`, delta: false }));

// The digest of `log` up to `seq`: what the server's snapshot says at that point.
function digestAt(log: readonly LogEntry[], seq: number): SessionDigest {
  const tokens = log.filter((e) => e.seq <= seq && e.type === 'agent.usage').length;
  const usage = { inputTokens: tokens, outputTokens: 0, costUsd: 0 };
  return { ...DIGEST, usage, workers: [{ ...DIGEST.workers[0]!, usage }] };
}

/** Plays the server's side of one connection as the real feed does: hello, then on subscribe an ack, a snapshot and pages. */
function connect(state: DashboardState, log: readonly LogEntry[], serverSeq: number, pageSize = 256): ClientMessage[] {
  const sent: ClientMessage[] = [];
  const deliver = (message: ServerMessage) => {
    for (const reply of applyServerMessage(state, message)) {
      sent.push(reply);
      if (reply.type !== 'subscribe') continue;
      deliver({ type: 'ack', id: reply.id });
      deliver(snapshot(serverSeq, digestAt(log, serverSeq)));
      for (let from = reply.fromSeq ?? serverSeq + 1; from <= serverSeq; from += pageSize) deliver(batchOf(log, from, Math.min(from + pageSize - 1, serverSeq)));
    }
  };
  deliver(hello(serverSeq));
  return sent;
}

const heldSeqs = (state: DashboardState) => state.log.entries.map((e) => e.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('the dashboard state, fed by server messages', () => {
  it('catches up from the first event, then follows live batches', () => {
    const log = usageLog(1000);
    const state = createDashboardState();
    expect(connect(state, log, 600)).toEqual([{ type: 'subscribe', id: 'sub-1', fromSeq: 1 }]);
    expect(isCatchingUp(state)).toBe(false);
    for (let from = 601; from <= 1000; from += 50) applyServerMessage(state, batchOf(log, from, from + 49));
    expect(heldSeqs(state)).toEqual(range(1, 1000));
    expect(state.session?.usage.inputTokens).toBe(100);
  });

  it('resubscribes after a drop from the last seq it holds, and ends with every event once', () => {
    const log = usageLog(1000);
    const state = createDashboardState();
    connect(state, log, 300);
    // Live batches up to 450 arrive; those after are lost with the connection.
    for (let from = 301; from <= 450; from += 50) applyServerMessage(state, batchOf(log, from, from + 49));
    expect(state.cursor.lastSeq).toBe(450);

    const sent = connect(state, log, 700);
    expect(sent).toEqual([{ type: 'subscribe', id: 'sub-2', fromSeq: 451 }]);
    for (let from = 701; from <= 1000; from += 100) applyServerMessage(state, batchOf(log, from, from + 99));
    expect(heldSeqs(state)).toEqual(range(1, 1000));
    // Usage came from the digest up to 700 and from entries after it: none twice, none missed.
    expect(state.session?.usage.inputTokens).toBe(100);
    expect(state.workers.get('worker:design')?.usage.inputTokens).toBe(100);
  });

  it('ignores resent and overlapping batches, and asks again from the right seq after a gap', () => {
    const log = usageLog(100);
    const state = createDashboardState();
    connect(state, log, 40);
    applyServerMessage(state, batchOf(log, 30, 60));
    applyServerMessage(state, batchOf(log, 41, 60));
    expect(applyServerMessage(state, batchOf(log, 70, 80))).toEqual([{ type: 'subscribe', id: 'sub-2', fromSeq: 61 }]);
    applyServerMessage(state, batchOf(log, 61, 100));
    expect(heldSeqs(state)).toEqual(range(1, 100));
    expect(state.session?.usage.inputTokens).toBe(10);
  });

  it('forgets everything when another session greets, and when the server refuses the subscription', () => {
    const state = createDashboardState();
    connect(state, usageLog(50), 50);
    expect(applyServerMessage(state, hello(10, 's2'))).toEqual([{ type: 'subscribe', id: 'sub-2', fromSeq: 1 }]);
    expect(state.log.entries).toEqual([]);
    expect(state.cursor).toEqual({ sessionId: 's2', lastSeq: 0 });

    applyServerMessage(state, batchOf(usageLog(5), 1, 5));
    const retry = applyServerMessage(state, { type: 'error', id: 'sub-3', code: 'SEQ_OUT_OF_RANGE', message: 'fromSeq is after the last committed event' });
    expect(retry).toEqual([{ type: 'subscribe', id: 'sub-3', fromSeq: 1 }]);
    expect(state.log.entries).toEqual([]);
  });

  it('folds entries after the snapshot into the header: tier path, phases, pause, the end', () => {
    const state = createDashboardState();
    connect(state, [], 0);
    const entries: LogEntry[] = [
      { type: 'session.tierChanged', from: 'trio', to: 'claude-codex', reason: 'Gemini CLI failed (AGENT_NETWORK)', sessionId: 's1', workerId: 'session', seq: 1, ts: 2_000 },
      { type: 'phase.started', phaseId: 'implement', agent: 'claude', sessionId: 's1', workerId: 'worker:implement', seq: 2, ts: 2_100 },
      { type: 'session.paused', sessionId: 's1', workerId: 'session', seq: 3, ts: 2_200 },
      { type: 'session.finished', status: 'stopped', reason: 'stopped by a person', sessionId: 's1', workerId: 'session', seq: 4, ts: 9_000 },
    ];
    applyServerMessage(state, batchOf(entries, 1, 4));
    expect(state.session).toMatchObject({ tier: 'claude-codex', paused: true, status: 'done', finishedAt: 9_000, info: { state: 'stopped' } });
    expect(state.session?.tierPath.map((step) => step.to)).toEqual(['trio', 'claude-codex']);
    expect(state.session?.phases.find((p) => p.phaseId === 'implement')).toMatchObject({ status: 'running', workerIds: ['worker:implement'] });
    expect(state.workers.get('worker:implement')).toMatchObject({ agent: 'claude', state: 'starting' });
  });

  it('takes a worker state from its machine (inspection), never from the command sent', () => {
    const state = createDashboardState();
    connect(state, [], 0);
    createControl(state.controls, { type: 'worker.pause', workerId: 'worker:design' }, 5_000);
    expect(state.workers.get('worker:design')?.state).toBe('live.running');
    applyServerMessage(state, { type: 'ack', id: 'ctl-1' });
    expect(state.workers.get('worker:design')?.state).toBe('live.running');
    expect(state.controls.byId.get('ctl-1')?.status).toBe('accepted');

    applyServerMessage(state, { type: 'batch', fromSeq: 1, toSeq: 0, items: [stateRecord('x:1', { live: 'paused' }, 'worker.pause')] });
    expect(state.workers.get('worker:design')?.state).toBe('live.paused');
    expect(state.actors.byId.get('x:1')?.steps.at(-1)).toMatchObject({ event: { type: 'worker.pause' }, value: { live: 'paused' } });
  });

  it('marks a refused command with its code, and keeps the state as the machine reports it', () => {
    const state = createDashboardState();
    connect(state, [], 0);
    createControl(state.controls, { type: 'worker.stop', workerId: 'worker:gone' }, 5_000);
    applyServerMessage(state, { type: 'error', id: 'ctl-1', code: 'UNKNOWN_WORKER', message: 'no running worker has that id' });
    expect(state.controls.byId.get('ctl-1')).toMatchObject({ status: 'refused', code: 'UNKNOWN_WORKER' });
    expect(state.workers.has('worker:gone')).toBe(false);
  });
});
