import { agentLabel } from '../state/describe-entry.js';
import { approvalText, waitingApprovals, type ApprovalView } from '../state/derive-approvals.js';
import { formatClock } from '../state/format.js';
import type { AppContext, View } from './context.js';
import { createControlStatus } from './control-status.js';
import { button, empty, h, panel } from './dom.js';

// Approvals waiting for a person: what the agent wants to run, and approve / deny. The answer
// carries the SHA-256 of exactly what was shown, so it cannot approve anything else.
export function createApprovalsPanel(context: AppContext): View {
  const list = h('ol', { class: 'approvals' });
  const placeholder = empty('Nothing is waiting for you. Commands the policy sends to a person appear here.');
  const element = panel('Waiting for you', h('div', { class: 'panel-body' }, placeholder, list), { 'data-testid': 'approvals' });
  let shown = '';

  const item = (approval: ApprovalView) => {
    const answer = (approve: boolean) => async () => {
      const hash = await sha256Hex(approvalText(approval));
      context.sendControl({ type: 'approval.answer', approvalId: approval.approvalId, approve, ...(hash ? { hash } : {}) });
    };
    const status = createControlStatus(context, approval.approvalId);
    status.update();
    const worker = context.state.workers.get(approval.workerId);
    const review = approval.tool === 'review';
    return h(
      'li',
      { class: 'approval', 'data-approval-id': approval.approvalId },
      h('p', { class: 'approval-who' }, `${worker ? agentLabel(worker.agent) : approval.workerId} · ${formatClock(approval.ts)}`),
      review ? h('p', { class: 'approval-reason' }, approval.command ?? '') : h('p', { class: 'approval-what' }, h('code', {}, approval.command ?? approval.path ?? approval.tool)),
      review
        ? h('ul', { class: 'findings' }, ...(approval.findings ?? []).map((f) => h('li', { 'data-severity': f.severity }, `${f.severity} · ${f.file ?? ''}${f.line ? `:${f.line}` : ''} ${f.message} (${agentLabel(f.agent)})`)))
        : h('p', { class: 'approval-tool' }, approval.reason ? `${approval.tool} · ${approval.reason}` : approval.tool),
      h('div', { class: 'approval-actions' }, button('Approve', answer(true), { class: 'btn btn-small' }), button('Deny', answer(false), { class: 'btn btn-small btn-danger' }), status.element),
    );
  };
  return {
    element,
    render(changed) {
      if (!changed.has('approvals') && !changed.has('controls')) return;
      const waiting = waitingApprovals(context.state.approvals);
      const key = `${waiting.map((a) => a.approvalId).join(',')}|${context.state.controls.next}`;
      if (key === shown) return;
      shown = key;
      placeholder.hidden = waiting.length > 0;
      list.replaceChildren(...waiting.map(item));
    },
  };
}

async function sha256Hex(text: string): Promise<string | null> {
  // crypto.subtle exists in secure contexts only; loopback http counts as one.
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
