import type { LogEntry } from '../../../src/domain/index.js';
import type { ClientMessage, InspectionRecord, ServerMessage, ServerMessageOf } from '../../../src/protocol/index.js';
import { applyDigestActors, applyInspection, createActorStore, type ActorStore } from './derive-actors.js';
import { applyEntryToApprovals, createApprovalStore, type ApprovalStore } from './derive-approvals.js';
import { appendLogEntry, clearLog, createLogStore, type LogStore } from './derive-log.js';
import { addUsageDelta, applyEntryToSession, createSessionView, sessionViewFromDigest, type SessionView } from './derive-session.js';
import { applyDigestWorkers, applyEntryToWorkers, applyWorkerState, createWorkerStore, ensureWorker, type WorkerStore } from './derive-workers.js';
import { applyAck, applyRefusal, createControlStore, type ControlStore } from './controls.js';
import { statePath } from './format.js';
import { readPlan, type PhasePlan } from './plan.js';
import { planBatch, planSubscribe, type SyncCursor } from './sync.js';

/** The parts of the page that may need drawing again ('replay': the position of a replay; 'notes': reviews and decisions to read again). */
export type Slice = 'header' | 'workers' | 'log' | 'actors' | 'controls' | 'approvals' | 'connection' | 'replay' | 'notes';

export const ALL_SLICES: ReadonlySet<Slice> = new Set<Slice>(['header', 'workers', 'log', 'actors', 'controls', 'approvals', 'connection', 'replay', 'notes']);

/** The connection as the badge shows it. */
export interface ConnectionView {
  status: 'connecting' | 'syncing' | 'live' | 'reconnecting' | 'offline';
  /** Consecutive failed attempts. */
  attempt: number;
  /** When the next attempt starts (reconnecting). */
  retryAt: number | null;
  detail: string;
}

/** Everything the dashboard knows, derived from server messages only. */
export interface DashboardState {
  cursor: SyncCursor;
  /** The seq the server had when it last said (hello, snapshot): catching up ends there. */
  targetSeq: number;
  /** Entries up to this seq are already in the session view (from the last snapshot's digest). */
  digestSeq: number;
  snapshotSeen: boolean;
  machines: Record<string, unknown>;
  plan: Map<string, PhasePlan>;
  session: SessionView | null;
  workers: WorkerStore;
  log: LogStore;
  actors: ActorStore;
  approvals: ApprovalStore;
  controls: ControlStore;
  /** Worker actors (inspection actor id → worker id). */
  workerActors: Map<string, string>;
  sessionActorId: string | null;
  connection: ConnectionView;
  changed: Set<Slice>;
  subscribeCount: number;
}

export function createDashboardState(): DashboardState {
  return {
    cursor: { sessionId: null, lastSeq: 0 },
    targetSeq: 0,
    digestSeq: 0,
    snapshotSeen: false,
    machines: {},
    plan: new Map(),
    session: null,
    workers: createWorkerStore(),
    log: createLogStore(),
    actors: createActorStore(),
    approvals: createApprovalStore(),
    controls: createControlStore(),
    workerActors: new Map(),
    sessionActorId: null,
    connection: { status: 'connecting', attempt: 0, retryAt: null, detail: '' },
    changed: new Set(),
    subscribeCount: 0,
  };
}

// Applies one server message; returns the messages to send in answer (a subscribe, after hello or a gap).
export function applyServerMessage(state: DashboardState, message: ServerMessage): ClientMessage[] {
  switch (message.type) {
    case 'hello':
      return applyHello(state, message);
    case 'snapshot':
      applySnapshot(state, message);
      return [];
    case 'batch':
      return applyBatch(state, message);
    case 'ack':
      if (applyAck(state.controls, message.id)) state.changed.add('controls');
      return [];
    case 'error':
      return applyError(state, message);
  }
}

// True while the client holds less of the log than the server had when it last said.
export function isCatchingUp(state: DashboardState): boolean {
  return !state.snapshotSeen || state.cursor.lastSeq < state.targetSeq;
}

function applyHello(state: DashboardState, hello: ServerMessageOf<'hello'>): ClientMessage[] {
  const plan = planSubscribe(state.cursor, hello);
  if (plan.reset) resetSession(state);
  state.cursor.sessionId = hello.session.sessionId;
  state.machines = hello.machines;
  state.targetSeq = hello.lastSeq;
  state.snapshotSeen = false;
  if (state.session) state.session.info = hello.session;
  else state.session = createSessionView(hello.session);
  state.connection = { ...state.connection, status: 'syncing', detail: '' };
  markAll(state);
  return [subscribe(state, plan.fromSeq)];
}

function applySnapshot(state: DashboardState, snapshot: ServerMessageOf<'snapshot'>): void {
  const info = state.session?.info;
  if (!info) return;
  state.digestSeq = snapshot.lastSeq;
  state.targetSeq = Math.max(state.targetSeq, snapshot.lastSeq);
  state.snapshotSeen = true;
  state.session = sessionViewFromDigest(info, snapshot.session, state.session?.finishedAt ?? null);
  applyDigestWorkers(state.workers, snapshot.session.workers);
  applyDigestActors(state.actors, snapshot.session.actors);
  for (const actor of snapshot.session.actors) linkActor(state, actor);
  markAll(state);
}

function applyBatch(state: DashboardState, batch: ServerMessageOf<'batch'>): ClientMessage[] {
  const plan = planBatch(state.cursor.lastSeq, batch);
  for (const step of plan.steps) {
    if (step.kind === 'log') applyEntry(state, step.entry);
    else applyRecord(state, step.record);
  }
  state.cursor.lastSeq = plan.lastSeq;
  state.changed.add('connection');
  return plan.gap ? [subscribe(state, state.cursor.lastSeq + 1)] : [];
}

function applyError(state: DashboardState, error: ServerMessageOf<'error'>): ClientMessage[] {
  if (error.id?.startsWith('sub-')) {
    // The server has less than we hold: it is not the log we were following. Start over.
    resetSession(state);
    markAll(state);
    return [subscribe(state, 1)];
  }
  if (applyRefusal(state.controls, error.id, error.code, error.message)) state.changed.add('controls');
  else {
    state.connection = { ...state.connection, detail: `${error.code}: ${error.message}` };
    state.changed.add('connection');
  }
  return [];
}

// One committed entry: into the log always; into the session's structure only past the digest.
export function applyEntry(state: DashboardState, entry: LogEntry): void {
  appendLogEntry(state.log, entry);
  state.changed.add('log');
  const afterDigest = entry.seq > state.digestSeq;
  if (entry.type === 'session.started') {
    state.plan = readPlan(entry.input);
    state.changed.add('workers');
  }
  if (afterDigest && state.session && applyEntryToSession(state.session, entry)) state.changed.add('header');
  const change = applyEntryToWorkers(state.workers, entry, afterDigest);
  if (change.changed) state.changed.add('workers');
  if (change.usage && state.session) {
    addUsageDelta(state.session, change.usage.before, change.usage.after);
    state.changed.add('header');
  }
  if (applyEntryToApprovals(state.approvals, entry)) state.changed.add('approvals');
  // Reviews and decisions are stored when a review is decided: the notes are worth reading again.
  if (entry.type === 'review.decided') state.changed.add('notes');
}

// One live inspection record: the actor's history, and the worker or session it runs.
export function applyRecord(state: DashboardState, record: InspectionRecord): void {
  const actor = applyInspection(state.actors, record);
  state.changed.add('actors');
  if (record.kind === 'actor') linkActor(state, actor);
  if (record.kind !== 'snapshot') return;
  const workerId = state.workerActors.get(record.actorId);
  if (workerId && applyWorkerState(ensureWorker(state.workers, workerId), statePath(record.value))) state.changed.add('workers');
  if (record.actorId === state.sessionActorId && state.session) {
    state.session.value = record.value;
    state.session.status = record.status;
    state.session.paused = isPaused(record.value);
    state.changed.add('header');
  }
}

function linkActor(state: DashboardState, actor: { actorId: string; id: string; parentId: string | null; machine: string | null }): void {
  if (actor.machine === 'worker') {
    state.workerActors.set(actor.actorId, actor.id);
    ensureWorker(state.workers, actor.id).actorId = actor.actorId;
  }
  if (actor.machine === 'session' && actor.parentId === null) state.sessionActorId = actor.actorId;
}

function subscribe(state: DashboardState, fromSeq: number): ClientMessage {
  state.subscribeCount += 1;
  return { type: 'subscribe', id: `sub-${state.subscribeCount}`, fromSeq };
}

function resetSession(state: DashboardState): void {
  const fresh = createDashboardState();
  clearLog(state.log);
  Object.assign(state, { ...fresh, log: state.log, controls: state.controls, connection: state.connection, changed: state.changed, subscribeCount: state.subscribeCount });
}

function markAll(state: DashboardState): void {
  for (const slice of ALL_SLICES) state.changed.add(slice);
}

function isPaused(value: unknown): boolean {
  const active = (value as { active?: { control?: unknown } } | null)?.active;
  return typeof active === 'object' && active !== null && active.control === 'paused';
}
