import { isCatchingUp } from '../state/dashboard-state.js';
import type { AppContext, View } from './context.js';
import { button, h, setAttr, setText } from './dom.js';

// The connection, always visible: live with the last seq, catching up with progress, or
// reconnecting with a countdown and a way to retry at once.
export function createConnectionBadge(context: AppContext, retryNow: () => void): View {
  const text = h('span', { class: 'connection-text' });
  const detail = h('span', { class: 'connection-detail' });
  const retry = button('Retry now', retryNow, { class: 'btn btn-small' });
  const element = h('div', { class: 'connection', role: 'status', 'aria-live': 'polite', 'data-testid': 'connection' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), text, detail, retry);

  const draw = (now: number) => {
    const { state } = context;
    const { status, retryAt, attempt } = state.connection;
    const shown = status === 'syncing' && !isCatchingUp(state) ? 'live' : status;
    setAttr(element, 'data-status', shown);
    setText(text, label(shown, state.cursor.lastSeq, state.targetSeq, retryAt === null ? 0 : retryAt - now, attempt));
    setText(detail, shown === 'live' || shown === 'syncing' ? '' : state.connection.detail);
    retry.hidden = shown !== 'reconnecting' && shown !== 'offline';
  };
  return {
    element,
    render: () => draw(Date.now()),
    tick: draw,
  };
}

function label(status: string, lastSeq: number, targetSeq: number, waitMs: number, attempt: number): string {
  const n = (value: number) => value.toLocaleString('en-US');
  switch (status) {
    case 'live':
      return `Live · seq ${n(lastSeq)}`;
    case 'syncing':
      return `Catching up ${n(lastSeq)} / ${n(targetSeq)}`;
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return waitMs > 0 ? `Reconnecting in ${Math.ceil(waitMs / 1000)}s (try ${attempt})` : 'Reconnecting…';
    default:
      return 'Offline';
  }
}
