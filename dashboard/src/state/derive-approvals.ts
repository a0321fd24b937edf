import type { Decision, LogEntry } from '../../../src/domain/index.js';

export { approvalText } from '../../../src/protocol/index.js';

/** Something a person must approve: an agent's command the policy sends to a person, or a review's escalation. */
export interface ApprovalView {
  /** The id an answer names: the agent's call id, or the worker and seq when the agent gave none. */
  approvalId: string;
  workerId: string;
  seq: number;
  ts: number;
  tool: string;
  command?: string;
  path?: string;
  /** A review's findings that made it ask. */
  findings?: Decision['findings'];
  /** Why the session asks, as a sentence. */
  reason?: string;
  /** waiting: nobody answered yet; settled: answered, or the call went ahead or was refused; gone: the agent exited. */
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
    return add(store, { approvalId: callId ?? `${entry.workerId}#${entry.seq}`, workerId: entry.workerId, seq: entry.seq, ts: entry.ts, tool, command, path, state: 'waiting' });
  }
  // A question the session waits on. For a review's escalation the server hashes the reason as the
  // command of a 'review'; for an agent's tool call, the call itself.
  if (entry.type === 'approval.requested') {
    const { approvalId, reason, findings } = entry;
    const subject = entry.kind === 'command' ? { tool: entry.tool ?? 'tool', command: entry.command, path: entry.path } : { tool: 'review', command: reason };
    return add(store, { approvalId, workerId: entry.workerId ?? entry.reviewId ?? 'session', seq: entry.seq, ts: entry.ts, ...subject, findings, reason, state: 'waiting' });
  }
  if (entry.type === 'approval.answered') return settle(store, (a) => a.approvalId === entry.approvalId, 'settled');
  if (entry.type === 'agent.toolResult' && entry.callId) return settle(store, (a) => a.workerId === entry.workerId && a.approvalId === entry.callId, 'settled');
  if (entry.type === 'agent.exited') return settle(store, (a) => a.workerId === entry.workerId, 'gone');
  return false;
}

// The requests still waiting for a person.
export function waitingApprovals(store: ApprovalStore): ApprovalView[] {
  return store.list.filter((approval) => approval.state === 'waiting');
}

function add(store: ApprovalStore, approval: ApprovalView): boolean {
  store.list.push(approval);
  if (store.list.length > store.max) store.list.splice(0, store.list.length - store.max);
  return true;
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
