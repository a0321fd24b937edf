import { createHash } from 'node:crypto';
import type { AnyActorRef } from 'xstate';
import type { ControlCommand } from '../../domain/index.js';
import { canStartReview, type SessionContext } from '../../machines/index.js';
import { approvalText, toControlCommand, type ControlRequest } from '../../protocol/index.js';
import type { ControlResult } from '../../ws-server/index.js';

type Snapshot = { status: string; context: SessionContext; matches(value: unknown): boolean };
type Refusal = Extract<ControlResult, { ok: false }>['code'];

// Checks a person's command against the session as it is now, and hands it on when it can act.
// Refusals carry a stable code; what the dashboard then shows comes from the machines, not from here.
export function answerControl(actor: AnyActorRef, request: ControlRequest, send: (command: ControlCommand) => void): ControlResult {
  const snapshot = actor.getSnapshot() as Snapshot;
  if (snapshot.status !== 'active') return { ok: false, code: 'SESSION_ENDED' };
  const command = toControlCommand(request);
  const refusal = refuse(snapshot, request);
  if (refusal) return { ok: false, code: refusal };
  send(command);
  return { ok: true };
}

function refuse(snapshot: Snapshot, request: ControlRequest): Refusal | null {
  const { context } = snapshot;
  switch (request.type) {
    case 'worker.pause':
    case 'worker.resume':
    case 'worker.stop':
      return context.currentWorker?.id === request.workerId ? null : 'UNKNOWN_WORKER';
    case 'review.request':
      // A review looks at work under way: an agent must be working, and no review running.
      return snapshot.matches({ active: { flow: 'working' } }) && canStartReview(context) ? null : 'NOT_NOW';
    case 'approval.answer': {
      const pending = context.approval;
      if (!pending || pending.approvalId !== request.approvalId) return 'UNKNOWN_APPROVAL';
      if (request.hash && request.hash !== hashOf(pending)) return 'UNKNOWN_APPROVAL';
      return null;
    }
    default:
      return null;
  }
}

// The SHA-256 of what the dashboard shows: a review's escalation as its reason, an agent's tool call as the call.
function hashOf(pending: NonNullable<SessionContext['approval']>): string {
  const subject =
    pending.kind === 'command'
      ? { approvalId: pending.approvalId, tool: pending.tool ?? 'tool', command: pending.command ?? null, path: pending.path ?? null }
      : { approvalId: pending.approvalId, tool: 'review', command: pending.reason, path: null };
  return createHash('sha256').update(approvalText(subject)).digest('hex');
}
