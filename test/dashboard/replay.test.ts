import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/domain/index.js';
import { PROTOCOL_VERSION, type BatchItem, type ReplayTimeline } from '../../src/protocol/index.js';
import { advanceReplay, createReplay, describePosition, replayNotes, replaySeq, seekReplay } from '../../dashboard/src/state/replay.js';
import { hello, makeLog } from './fixtures.js';

// A recorded session: a worker is created at seq 1, runs, is paused at seq 6 and finishes at seq 10;
// events are 100 ms apart, with a ten-minute silence before the last one.
function timeline(): ReplayTimeline {
  const log = makeLog(10).map((entry) => ({ ...entry, ts: 1_000 + entry.seq * 100 + (entry.seq === 10 ? 600_000 : 0) })) as LogEntry[];
  const records: Record<number, BatchItem[]> = {
    1: [
      { kind: 'actor', atSeq: 1, actorId: 'x:0', id: 'session', parentId: null, machine: 'session' },
      { kind: 'actor', atSeq: 1, actorId: 'x:1', id: 'worker:design', parentId: 'x:0', machine: 'worker' },
      { kind: 'snapshot', atSeq: 1, actorId: 'x:1', event: 'xstate.init', status: 'active', value: { live: 'running' }, transitions: [], context: { workerId: 'worker:design', lastActivity: 'started' } },
    ],
    6: [{ kind: 'snapshot', atSeq: 6, actorId: 'x:1', event: 'worker.pause', status: 'active', value: { live: 'paused' }, transitions: [], context: { workerId: 'worker:design', lastActivity: 'paused' } }],
    10: [{ kind: 'snapshot', atSeq: 10, actorId: 'x:1', event: 'agent.result', status: 'done', value: 'done', transitions: [] }],
  };
  const items = log.flatMap((entry): BatchItem[] => [{ kind: 'log', entry }, ...(records[entry.seq] ?? [])]);
  const notes = { decisions: [{ id: 1, seq: 4, body: 'continue' }, { id: 2, seq: 9, body: 'revise' }], reviews: [], recovery: [] };
  return { protocol: PROTOCOL_VERSION, session: hello(0).session, machines: {}, lastSeq: 10, items, notes, matchesRecording: true };
}

const workerState = (replay: ReturnType<typeof createReplay>) => replay.view.workers.get('worker:design')?.state;

describe('the replay player', () => {
  it('starts before the first event, with the session not yet in its recorded end state', () => {
    const replay = createReplay(timeline());
    expect(replaySeq(replay)).toBe(0);
    expect(replay.view.log.entries).toHaveLength(0);
    expect(replay.view.session?.info.state).toBe('starting');
  });

  it('shows every panel as it was at the point scrubbed to, backwards as well as forwards', () => {
    const replay = createReplay(timeline());
    const afterSeq = (seq: number) => replay.timeline.items.findIndex((item) => item.kind === 'log' && item.entry.seq === seq + 1);
    seekReplay(replay, afterSeq(7));
    expect(replaySeq(replay)).toBe(7);
    expect(replay.view.log.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(workerState(replay)).toBe('live.paused');
    expect(replayNotes(replay, 'decisions').map((n) => n.body)).toEqual(['continue']);
    const actor = replay.view.actors.byId.get('x:1')!;
    expect(actor.steps.at(-1)).toMatchObject({ value: { live: 'paused' }, context: { lastActivity: 'paused' } });

    seekReplay(replay, afterSeq(3));
    expect(replaySeq(replay)).toBe(3);
    expect(replay.view.log.entries).toHaveLength(3);
    expect(workerState(replay)).toBe('live.running');
    expect(replayNotes(replay, 'decisions')).toEqual([]);
    expect(replay.view.actors.byId.get('x:1')!.steps).toHaveLength(1);

    seekReplay(replay, replay.timeline.items.length);
    expect(replaySeq(replay)).toBe(10);
    expect(replay.view.actors.byId.get('x:1')!.status).toBe('done');
  });

  it('plays at its speed from the recorded times and skips long silences', () => {
    const replay = createReplay(timeline());
    replay.playing = true;
    replay.speed = 1;
    advanceReplay(replay, 250);
    // The clock starts at the first event; events 2 and 3 are 100 and 200 recorded ms after it.
    expect(replaySeq(replay)).toBe(3);
    replay.speed = 10;
    advanceReplay(replay, 60);
    expect(replaySeq(replay)).toBe(9);
    // Ten recorded minutes of silence at 10x would be a minute; it is cut to at most a second of waiting.
    advanceReplay(replay, 900);
    expect(replaySeq(replay)).toBe(9);
    advanceReplay(replay, 200);
    expect(replaySeq(replay)).toBe(10);
    expect(replay.playing).toBe(false);
    expect(describePosition(replay)).toMatchObject({ seq: 10, lastSeq: 10, position: replay.timeline.items.length });
  });
});
