import { SessionListingSchema, type SessionListing } from '../../../src/protocol/index.js';
import { formatCost, formatDuration } from '../state/format.js';
import { toneOf } from '../state/tone.js';
import type { AppContext, View } from './context.js';
import { button, empty, h, setText } from './dom.js';

/** How often the list is read again while it is on screen. */
const LIST_POLL_MS = 10_000;

// The workspace's sessions, newest first: the live one can be watched, any one replayed from its
// durable log (GET /api/sessions, then /api/sessions/<id>/replay).
export function createSessionsView(context: AppContext): View & { refresh(): Promise<void> } {
  const body = h('tbody');
  const table = h(
    'table',
    { class: 'sessions-table', 'data-testid': 'sessions' },
    h('thead', {}, h('tr', {}, ...['Session', 'State', 'Started', 'Duration', 'Cost', 'Tiers', 'Task', ''].map((label) => h('th', { scope: 'col' }, label)))),
    body,
  );
  const status = h('p', { class: 'sessions-status', role: 'status', 'aria-live': 'polite' });
  const placeholder = empty('No session is recorded in this workspace yet.');
  const element = h(
    'section',
    { class: 'sessions panel', 'aria-labelledby': 'sessions-title' },
    h('div', { class: 'sessions-head' }, h('h2', { id: 'sessions-title', class: 'panel-title' }, 'Sessions of this workspace'), button('Refresh', () => void refresh(), { class: 'btn btn-small btn-quiet' })),
    h('p', { class: 'sessions-hint' }, 'Replay plays a session back from its log, with every panel and statechart as they were; nothing is sent to an agent.'),
    status,
    placeholder,
    table,
  );
  let listings: SessionListing[] = [];
  let lastRead = 0;
  let opening: string | null = null;

  async function refresh() {
    lastRead = Date.now();
    try {
      const response = await fetch('/api/sessions', { credentials: 'same-origin', cache: 'no-store' });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      const json = (await response.json()) as { sessions?: unknown };
      listings = Array.isArray(json.sessions) ? json.sessions.flatMap((item) => SessionListingSchema.safeParse(item).data ?? []) : [];
      draw();
    } catch (error) {
      setText(status, `The sessions could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async function open(sessionId: string) {
    opening = sessionId;
    setText(status, `Replaying ${sessionId} from its log…`);
    draw();
    try {
      await context.openReplay(sessionId);
      setText(status, '');
    } catch (error) {
      setText(status, error instanceof Error ? error.message : String(error));
    } finally {
      opening = null;
      draw();
    }
  }

  function draw() {
    placeholder.hidden = listings.length > 0;
    table.hidden = listings.length === 0;
    const shown = context.state.cursor.sessionId;
    body.replaceChildren(...listings.map((listing) => row(listing, shown)));
  }

  function row(listing: SessionListing, shown: string | null): HTMLElement {
    const end = listing.endedAt ?? (listing.live ? Date.now() : null);
    const watching = listing.sessionId === shown && (listing.live ? context.mode === 'live' : context.mode === 'replay');
    const actions = [
      watching ? h('span', { class: 'sessions-current' }, listing.live ? 'Watching live' : 'Replaying') : null,
      listing.live && context.mode === 'replay' ? button('Watch live', () => context.openLive(), { class: 'btn btn-small' }) : null,
      // The live session can be replayed too: from its start up to what it has logged so far.
      watching && !listing.live
        ? null
        : button(opening === listing.sessionId ? 'Opening…' : 'Replay', () => void open(listing.sessionId), {
            class: 'btn btn-small',
            'data-testid': 'session-replay',
            disabled: opening !== null,
            'aria-label': `Replay session ${listing.sessionId}`,
          }),
    ];
    return h(
      'tr',
      { 'data-session-id': listing.sessionId, class: watching ? 'current' : '' },
      h('td', { class: 'mono' }, listing.sessionId, listing.live ? h('span', { class: 'live-tag' }, 'live') : null),
      h('td', {}, h('span', { class: 'badge', 'data-tone': toneOf(listing.state) }, listing.state)),
      h('td', {}, new Date(listing.startedAt).toLocaleString()),
      h('td', {}, end === null ? '—' : formatDuration(end - listing.startedAt)),
      h('td', {}, formatCost(listing.costUsd)),
      h('td', {}, listing.tiers.join(' › ') || '—'),
      h('td', { class: 'sessions-task', title: listing.task }, listing.task),
      h('td', { class: 'sessions-actions' }, ...actions),
    );
  }

  return {
    element,
    refresh,
    onShow: () => void refresh(),
    render(changed) {
      if (changed.has('header')) draw();
    },
    tick() {
      if (document.visibilityState === 'visible' && Date.now() - lastRead >= LIST_POLL_MS) void refresh();
    },
  };
}
