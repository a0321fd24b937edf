import type { LogEntry } from '../../../src/domain/index.js';

/** A request from an agent to run something that the policy says a person must approve. */
export interface ApprovalView {
  /** The id an answer names: the agent's call id, or the worker and seq when the agent gave none. */
  approvalId: string;
  workerId: string;
  seq: number;
  ts: number;
  tool: string;
  command?: string;
  path?: string;
  /** waiting: nobody answered yet; settled: the call went ahead or was refused; gone: the agent exited. */
  state: 'waiting' | 'settled' | 'gone';
}

export interface ApprovalStore {
  list: ApprovalView[];
  max: number;
}

export function createApprovalStore(max = 100): ApprovalStore {
  return { list: [], max };
}

// Follows approval requests through the log; returns true when the list changed.
export function applyEntryToApprovals(store: ApprovalStore, entry: LogEntry): boolean {
  if (entry.type === 'agent.approvalRequest') {
    const { callId, tool, command, path } = entry;
    store.list.push({ approvalId: callId ?? `${entry.workerId}#${entry.seq}`, workerId: entry.workerId, seq: entry.seq, ts: entry.ts, tool, command, path, state: 'waiting' });
    if (store.list.length > store.max) store.list.splice(0, store.list.length - store.max);
    return true;
  }
  if (entry.type === 'agent.toolResult' && entry.callId) return settle(store, (a) => a.workerId === entry.workerId && a.approvalId === entry.callId, 'settled');
  if (entry.type === 'agent.exited') return settle(store, (a) => a.workerId === entry.workerId, 'gone');
  return false;
}

// The requests still waiting for a person.
export function waitingApprovals(store: ApprovalStore): ApprovalView[] {
  return store.list.filter((approval) => approval.state === 'waiting');
}

// What the person is shown and answers for; its SHA-256 goes with the answer so it cannot approve something else.
export function approvalText(approval: ApprovalView): string {
  return JSON.stringify({ approvalId: approval.approvalId, tool: approval.tool, command: approval.command ?? null, path: approval.path ?? null });
}

function settle(store: ApprovalStore, match: (approval: ApprovalView) => boolean, state: ApprovalView['state']): boolean {
  let changed = false;
  for (const approval of store.list) {
    if (approval.state !== 'waiting' || !match(approval)) continue;
    approval.state = state;
    changed = true;
  }
  return changed;
}
