import { createApprovalsPanel } from './approvals-panel.js';
import type { AppContext, View } from './context.js';
import { createControlStatus } from './control-status.js';
import { button, h } from './dom.js';
import { createNotesPanel } from './notes-panel.js';

/** How often the notes are read again while the page is visible. */
const NOTES_POLL_MS = 10_000;

// The side column: approvals first (they block an agent), then decisions, reviews and recovery.
export function createSidePanels(context: AppContext): View {
  const approvals = createApprovalsPanel(context);
  const reviewStatus = createControlStatus(context, 'review');
  const requestReview = h(
    'div',
    { class: 'panel-actions' },
    button('Request a review', () => context.sendControl({ type: 'review.request' }), { class: 'btn btn-small' }),
    reviewStatus.element,
  );
  const notes = [createNotesPanel(context, 'decisions', 'Decisions'), createNotesPanel(context, 'reviews', 'Reviews', requestReview), createNotesPanel(context, 'recovery', 'Recovery')];
  const element = h('aside', { class: 'side', 'aria-label': 'Approvals, decisions, reviews and recovery' }, approvals.element, ...notes.map((n) => n.element));
  let lastRefresh = 0;
  const refresh = (now: number) => {
    lastRefresh = now;
    for (const panel of notes) void panel.refresh();
  };
  return {
    element,
    render(changed) {
      approvals.render(changed);
      if (changed.has('controls')) reviewStatus.update();
      // A replay's notes follow its point; live ones are read when a review is decided, and on a snapshot
      // (everything changed), the moment the session is known.
      if (context.mode === 'replay' ? changed.has('log') : changed.has('notes') && context.isOnline()) refresh(Date.now());
    },
    tick(now) {
      if (context.mode === 'live' && document.visibilityState === 'visible' && context.isOnline() && now - lastRefresh >= NOTES_POLL_MS) refresh(now);
    },
  };
}
