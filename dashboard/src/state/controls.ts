import type { ClientMessage, ControlRequest, ErrorCode } from '../../../src/protocol/index.js';

/** A command a person sent, and how the server answered it. */
export interface ControlRecord {
  id: string;
  request: ControlRequest;
  /** What it is about: 'session', 'review', a worker id, or an approval id. */
  target: string;
  sentAt: number;
  /** pending: sent, no answer yet; accepted: ack; refused: error; lost: the connection dropped first. */
  status: 'pending' | 'accepted' | 'refused' | 'lost';
  code?: ErrorCode;
  message?: string;
}

export interface ControlStore {
  byId: Map<string, ControlRecord>;
  next: number;
  /** Answered records kept for display; older ones are forgotten. */
  keep: number;
}

export function createControlStore(keep = 50): ControlStore {
  return { byId: new Map(), next: 1, keep };
}

// Records a command and returns the message to send; its id comes back on the ack or error.
export function createControl(store: ControlStore, request: ControlRequest, now: number): ClientMessage {
  const id = `ctl-${store.next++}`;
  store.byId.set(id, { id, request, target: targetOf(request), sentAt: now, status: 'pending' });
  prune(store);
  return { ...request, id } as ClientMessage;
}

// Marks a command accepted; false when the id is not one of ours (a subscribe, say).
export function applyAck(store: ControlStore, id: string): boolean {
  const record = store.byId.get(id);
  if (!record || record.status !== 'pending') return false;
  record.status = 'accepted';
  return true;
}

// Marks a command refused with the server's stable code.
export function applyRefusal(store: ControlStore, id: string | undefined, code: ErrorCode, message: string): boolean {
  const record = id === undefined ? undefined : store.byId.get(id);
  if (!record || record.status !== 'pending') return false;
  Object.assign(record, { status: 'refused', code, message });
  return true;
}

// The connection dropped: commands still waiting will never be answered on it.
export function markPendingLost(store: ControlStore): boolean {
  let changed = false;
  for (const record of store.byId.values()) {
    if (record.status !== 'pending') continue;
    record.status = 'lost';
    changed = true;
  }
  return changed;
}

// The last command sent about a target, to show its answer next to the buttons that sent it.
export function latestControl(store: ControlStore, target: string): ControlRecord | undefined {
  let latest: ControlRecord | undefined;
  for (const record of store.byId.values()) if (record.target === target) latest = record;
  return latest;
}

// A short line for a command's answer: 'worker.pause sent', 'accepted', 'refused: UNKNOWN_WORKER'.
export function describeControl(record: ControlRecord): string {
  const verb = record.request.type;
  switch (record.status) {
    case 'pending':
      return `${verb} sent…`;
    case 'accepted':
      return `${verb} accepted`;
    case 'refused':
      return `${verb} refused: ${record.code}${record.message ? ` (${record.message})` : ''}`;
    case 'lost':
      return `${verb}: connection lost before an answer`;
  }
}

function targetOf(request: ControlRequest): string {
  if (request.type === 'review.request') return 'review';
  if ('workerId' in request && request.workerId) return request.workerId;
  if (request.type === 'approval.answer') return request.approvalId;
  return 'session';
}

function prune(store: ControlStore): void {
  for (const [id, record] of store.byId) {
    if (store.byId.size <= store.keep) return;
    if (record.status !== 'pending') store.byId.delete(id);
  }
}
