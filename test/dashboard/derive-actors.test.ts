import { describe, expect, it } from 'vitest';
import { actorTree, applyDigestActors, applyInspection, createActorStore, stepByNumber } from '../../dashboard/src/state/derive-actors.js';
import { DIGEST, stateRecord } from './fixtures.js';

const received = (actorId: string, type: string, atSeq = 0) => ({ kind: 'received' as const, atSeq, actorId, sourceId: 'x:0', event: { type } });

describe('the actors and their history', () => {
  it('pairs each received event with the state it led to', () => {
    const store = createActorStore();
    applyInspection(store, { kind: 'actor', atSeq: 0, actorId: 'x:1', id: 'worker:design', parentId: 'x:0', machine: 'worker' });
    applyInspection(store, received('x:1', 'agent.started'));
    applyInspection(store, stateRecord('x:1', { live: 'running' }, 'agent.started', [{ source: 'worker.live.starting', targets: ['worker.live.running'] }]));
    applyInspection(store, received('x:1', 'agent.message'));
    applyInspection(store, received('x:1', 'worker.pause'));
    applyInspection(store, stateRecord('x:1', { live: 'paused' }, 'worker.pause'));
    const actor = store.byId.get('x:1')!;
    expect(actor.steps.map((s) => [s.n, s.event.type, s.value, s.changed])).toEqual([
      [1, 'agent.started', { live: 'running' }, true],
      [2, 'agent.message', { live: 'running' }, false],
      [3, 'worker.pause', { live: 'paused' }, true],
    ]);
    expect(actor.steps[0]?.transitions).toEqual([{ source: 'worker.live.starting', targets: ['worker.live.running'] }]);
    expect(actor.value).toEqual({ live: 'paused' });
  });

  it('records a state change whose event it never saw as a step of its own', () => {
    const store = createActorStore();
    applyInspection(store, stateRecord('x:1', { live: 'running' }, 'agent.started'));
    expect(store.byId.get('x:1')?.steps).toMatchObject([{ n: 1, event: { type: 'agent.started' }, truncated: true, changed: true }]);
  });

  it('keeps a bounded history, numbered so a selection survives the oldest being dropped', () => {
    const store = createActorStore(3);
    for (let i = 1; i <= 5; i += 1) applyInspection(store, received('x:1', `e${i}`));
    const actor = store.byId.get('x:1')!;
    expect(actor.steps.map((s) => s.n)).toEqual([3, 4, 5]);
    expect(actor.dropped).toBe(2);
    expect(stepByNumber(actor, 4)?.event.type).toBe('e4');
    expect(stepByNumber(actor, 1)).toBeUndefined();
  });

  it('takes live actors from a snapshot and marks those it no longer lists as stopped', () => {
    const store = createActorStore();
    applyInspection(store, { kind: 'actor', atSeq: 0, actorId: 'x:9', id: 'worker:old', parentId: 'x:0', machine: 'worker' });
    applyDigestActors(store, DIGEST.actors);
    expect(store.byId.get('x:9')?.status).toBe('stopped');
    expect(store.byId.get('x:1')).toMatchObject({ id: 'worker:design', status: 'active', value: { live: 'running' } });
    expect(actorTree(store).map(([actor, depth]) => [actor.id, depth])).toEqual([
      ['session', 0],
      ['worker:old', 1],
      ['worker:design', 1],
    ]);
  });
});
