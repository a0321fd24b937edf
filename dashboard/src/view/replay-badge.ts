import type { AppContext, View } from './context.js';
import { h, setText } from './dom.js';
import { formatClock } from '../state/format.js';

// In the header of a replay, where the connection badge is live: a replay, and the recorded time shown.
export function createReplayBadge(context: AppContext): View {
  const text = h('span', { class: 'connection-text' });
  const element = h('div', { class: 'connection', role: 'status', 'data-status': 'replay', 'data-testid': 'connection' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), text);
  const draw = () => setText(text, `Replay · ${formatClock(context.now())}`);
  return { element, render: draw, tick: draw };
}
