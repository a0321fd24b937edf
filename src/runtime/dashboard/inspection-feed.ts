import type { AnyActorRef, InspectionEvent, Subscription } from 'xstate';
import type { ActorStatus, InspectionRecord, StateValue } from '../../protocol/index.js';

import { clipJson } from './clip-json.js';

/** Events larger than this (serialized) are sent as their type only: a worker's init input holds its whole prompt. */
const MAX_EVENT_CHARS = 1024;
/** A context is clipped (long strings, long lists) so that one record stays around this size. */
const MAX_CONTEXT_CHARS = 8 * 1024;

/** What inspection needs of an actor system: `actor.system`. */
export interface InspectableSystem {
  inspect(observer: (event: InspectionEvent) => void): Subscription;
}

type MachineSnapshot = { status: ActorStatus; value?: StateValue; context?: unknown };

type ActorLike = Pick<AnyActorRef, 'id' | 'sessionId'> & { logic?: { id?: unknown; toJSON?: unknown }; _parent?: { sessionId: string } };

// The machine an actor is drawn with (its machine id, a key of hello.machines), null for non-machine logic.
export function machineOf(ref: ActorLike): string | null {
  const logic = ref.logic;
  return logic && typeof logic.toJSON === 'function' && typeof logic.id === 'string' ? logic.id : null;
}

// Who an actor is: its unique id in this run, its local id, its parent and its machine.
export function describeActor(ref: ActorLike) {
  return { actorId: ref.sessionId, id: ref.id, parentId: ref._parent?.sessionId ?? null, machine: machineOf(ref) };
}

// Turns XState inspection events into protocol records: actor created, event received, snapshot
// changed (only when value, status or context changed, with the transitions its microsteps took and
// a clipped copy of the context), actor stopped.
export function createInspectionSerializer() {
  const last = new Map<string, string>();
  const ended = new Set<string>();
  const taken = new Map<string, { source: string; targets: string[] }[]>();
  return (event: InspectionEvent, atSeq: number): InspectionRecord[] => {
    const ref = event.actorRef as unknown as ActorLike;
    const actorId = ref.sessionId;
    switch (event.type) {
      case '@xstate.actor':
        return [{ kind: 'actor', atSeq, ...describeActor(ref) }];
      case '@xstate.event':
        return [{ kind: 'received', atSeq, actorId, sourceId: event.sourceRef?.sessionId ?? null, ...copyEvent(event.event) }];
      case '@xstate.microstep': {
        const steps = event._transitions.map((t) => ({ source: t.source.id, targets: (t.target ?? []).map((node) => node.id) }));
        taken.set(actorId, [...(taken.get(actorId) ?? []), ...steps]);
        return [];
      }
      case '@xstate.snapshot':
        return snapshotRecords(event.snapshot as MachineSnapshot, event.event.type);
      default:
        return [];
    }

    function snapshotRecords(snapshot: MachineSnapshot, cause: string): InspectionRecord[] {
      const records: InspectionRecord[] = [];
      const transitions = taken.get(actorId) ?? [];
      taken.delete(actorId);
      if (machineOf(ref) !== null && snapshot.value !== undefined) {
        const context = clipJson(snapshot.context, MAX_CONTEXT_CHARS);
        const key = JSON.stringify([snapshot.status, snapshot.value, context.json]);
        if (key !== last.get(actorId)) {
          last.set(actorId, key);
          records.push({ kind: 'snapshot', atSeq, actorId, event: cause, status: snapshot.status, value: snapshot.value, transitions, context: context.value, ...(context.clipped ? { contextClipped: true } : {}) });
        }
      }
      if (snapshot.status !== 'active' && !ended.has(actorId)) {
        ended.add(actorId);
        last.delete(actorId);
        records.push({ kind: 'actor.stopped', atSeq, actorId, status: snapshot.status });
      }
      return records;
    }
  };
}

// A plain, bounded copy of an event: records must always serialize, whatever an event holds.
function copyEvent(event: { type: string }): { event: { type: string }; truncated?: true } {
  try {
    const json = JSON.stringify(event);
    if (json.length <= MAX_EVENT_CHARS) return { event: JSON.parse(json) as { type: string } };
  } catch {
    // A cycle or a throwing toJSON: fall through to the type alone.
  }
  return { event: { type: String(event.type) }, truncated: true };
}

// A feed of inspection records that attaches to the actor system only while someone listens.
export function createInspectionFeed(system: InspectableSystem, currentSeq: () => number) {
  const listeners = new Set<(record: InspectionRecord) => void>();
  let subscription: Subscription | undefined;
  return (listener: (record: InspectionRecord) => void): (() => void) => {
    listeners.add(listener);
    if (!subscription) {
      const serialize = createInspectionSerializer();
      subscription = system.inspect((event) => {
        for (const record of serialize(event, currentSeq())) for (const each of listeners) each(record);
      });
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size > 0) return;
      subscription?.unsubscribe();
      subscription = undefined;
    };
  };
}
