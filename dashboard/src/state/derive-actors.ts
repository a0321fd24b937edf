import type { ActorDigest, ActorStatus, InspectionRecord, StateValue } from '../../../src/protocol/index.js';

/** One event an actor received, and the state it was in once it had processed it. */
export interface ActorStep {
  /** Running number within the actor, so a selection survives old steps being dropped. */
  n: number;
  atSeq: number;
  event: { type: string } & Record<string, unknown>;
  sourceId: string | null;
  truncated: boolean;
  /** The state after the event; unchanged from the step before when the event changed nothing. */
  value: StateValue | null;
  status: ActorStatus;
  /** Transitions the event took, by state node id. */
  transitions: { source: string; targets: string[] }[];
  /** The machine's context after the event (clipped by the server), when it was sent. */
  context: unknown;
  contextClipped: boolean;
  /** True once a snapshot record reported the state this event led to. */
  changed: boolean;
}

/** An actor of the session's system, with a bounded history of what it received. */
export interface ActorView {
  actorId: string;
  id: string;
  parentId: string | null;
  machine: string | null;
  status: ActorStatus;
  value: StateValue | null;
  /** The context last reported, undefined until a snapshot record carried one. */
  context: unknown;
  steps: ActorStep[];
  /** Steps dropped from the front to keep the history bounded. */
  dropped: number;
  /** Bumped on every change, so a view can tell whether to redraw. */
  version: number;
}

export interface ActorStore {
  byId: Map<string, ActorView>;
  maxSteps: number;
  maxActors: number;
}

export function createActorStore(maxSteps = 500, maxActors = 300): ActorStore {
  return { byId: new Map(), maxSteps, maxActors };
}

// Folds one inspection record into the actors; returns the actor it was about.
export function applyInspection(store: ActorStore, record: InspectionRecord): ActorView {
  const actor = ensureActor(store, record.actorId);
  actor.version += 1;
  switch (record.kind) {
    case 'actor':
      Object.assign(actor, { id: record.id, parentId: record.parentId, machine: record.machine, status: 'active' });
      break;
    case 'actor.stopped':
      actor.status = record.status;
      break;
    case 'received':
      pushStep(store, actor, { atSeq: record.atSeq, event: record.event, sourceId: record.sourceId, truncated: record.truncated === true });
      break;
    case 'snapshot':
      applySnapshot(store, actor, record);
      break;
  }
  return actor;
}

// Takes the snapshot's live actors as they are now. Actors it no longer lists have ended while
// nobody watched; they keep their history and show as stopped.
export function applyDigestActors(store: ActorStore, actors: readonly ActorDigest[]): void {
  const live = new Set<string>();
  for (const digest of actors) {
    live.add(digest.actorId);
    const actor = ensureActor(store, digest.actorId);
    Object.assign(actor, { id: digest.id, parentId: digest.parentId, machine: digest.machine, status: digest.status });
    if (digest.value !== undefined) actor.value = digest.value;
    actor.version += 1;
  }
  for (const actor of store.byId.values()) {
    if (live.has(actor.actorId) || actor.status !== 'active') continue;
    actor.status = 'stopped';
    actor.version += 1;
  }
}

// Actors as a tree, parents before children, for the picker: [actor, depth].
export function actorTree(store: ActorStore): [ActorView, number][] {
  const children = new Map<string | null, ActorView[]>();
  for (const actor of store.byId.values()) {
    const parent = actor.parentId && store.byId.has(actor.parentId) ? actor.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), actor]);
  }
  const out: [ActorView, number][] = [];
  const visit = (parent: string | null, depth: number) => {
    for (const actor of children.get(parent) ?? []) {
      out.push([actor, depth]);
      visit(actor.actorId, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}

// The step with running number `n`, if it is still held.
export function stepByNumber(actor: ActorView, n: number): ActorStep | undefined {
  const index = n - actor.dropped - 1;
  return actor.steps[index]?.n === n ? actor.steps[index] : actor.steps.find((step) => step.n === n);
}

function applySnapshot(store: ActorStore, actor: ActorView, record: Extract<InspectionRecord, { kind: 'snapshot' }>): void {
  actor.value = record.value;
  actor.status = record.status;
  if (record.context !== undefined) actor.context = record.context;
  // XState reports an event before processing it and the snapshot after, so the snapshot belongs to
  // the last step when that step is the same event; otherwise the event was not seen (a late join).
  const last = actor.steps.at(-1);
  if (!last || last.event.type !== record.event || last.changed || last.atSeq > record.atSeq) {
    pushStep(store, actor, { atSeq: record.atSeq, event: { type: record.event }, sourceId: null, truncated: true });
  }
  const step = actor.steps.at(-1)!;
  step.value = record.value;
  step.status = record.status;
  step.changed = true;
  step.context = actor.context;
  step.contextClipped = record.contextClipped === true;
  step.transitions = record.transitions.map((t) => ({ source: t.source, targets: [...t.targets] }));
}

function pushStep(store: ActorStore, actor: ActorView, step: Pick<ActorStep, 'atSeq' | 'event' | 'sourceId' | 'truncated'>): void {
  const n = actor.dropped + actor.steps.length + 1;
  actor.steps.push({ ...step, n, value: actor.value, status: actor.status, context: actor.context, contextClipped: false, transitions: [], changed: false });
  if (actor.steps.length > store.maxSteps) {
    actor.steps.shift();
    actor.dropped += 1;
  }
}

function ensureActor(store: ActorStore, actorId: string): ActorView {
  let actor = store.byId.get(actorId);
  if (!actor) {
    actor = { actorId, id: actorId, parentId: null, machine: null, status: 'active', value: null, context: undefined, steps: [], dropped: 0, version: 0 };
    store.byId.set(actorId, actor);
    if (store.byId.size > store.maxActors) forgetOldestStopped(store);
  }
  return actor;
}

function forgetOldestStopped(store: ActorStore): void {
  for (const actor of store.byId.values()) {
    if (actor.status === 'active') continue;
    store.byId.delete(actor.actorId);
    return;
  }
}
