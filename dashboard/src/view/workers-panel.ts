import type { AppContext, View } from './context.js';
import { empty, h } from './dom.js';
import { createWorkerCard, type WorkerCard } from './worker-card.js';

// The worker cards, newest phase last, one per agent run; cards are kept and updated, never rebuilt.
export function createWorkersPanel(context: AppContext): View {
  const cards = new Map<string, WorkerCard>();
  const list = h('div', { class: 'worker-grid', 'data-testid': 'workers' });
  const placeholder = empty('No worker yet. Workers appear here when the session starts a phase.');
  const element = h('section', { class: 'workers', 'aria-label': 'Workers' }, placeholder, list);

  return {
    element,
    render(changed) {
      if (!changed.has('workers') && !changed.has('controls') && !changed.has('connection')) return;
      const { workers } = context.state;
      for (const [workerId, view] of workers) {
        let card = cards.get(workerId);
        if (!card) {
          card = createWorkerCard(context, workerId);
          cards.set(workerId, card);
          list.append(card.element);
        }
        card.update(view);
      }
      for (const [workerId, card] of cards) {
        if (workers.has(workerId)) continue;
        card.element.remove();
        cards.delete(workerId);
      }
      placeholder.hidden = workers.size > 0;
      this.tick?.(context.now());
    },
    tick(now) {
      for (const card of cards.values()) card.tick(now);
    },
  };
}
