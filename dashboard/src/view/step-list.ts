import { stepByNumber, type ActorStep, type ActorView } from '../state/derive-actors.js';
import { leafState, statePath } from '../state/format.js';
import { h, setAttr, setText } from './dom.js';

export interface StepList {
  element: HTMLElement;
  /** Draws the actor's steps; `selected` is a step number, or null when following live. */
  update(actor: ActorView | null, selected: number | null): void;
}

// The events an actor received, in order, and the one selected in full: the event, the state it
// led to, the transitions it took and the context after it. Arrow keys scrub; Escape goes back to live.
export function createStepList(actorName: (actorId: string) => string, onSelect: (n: number | null) => void): StepList {
  const list = h('ol', { class: 'steps', role: 'listbox', tabindex: 0, 'aria-label': 'Events received', 'data-testid': 'steps' });
  const detail = h('div', { class: 'step-detail', 'aria-live': 'polite' });
  const count = h('span', { class: 'steps-count' });
  let drawn: { actorId: string | null; first: number; last: number } = { actorId: null, first: 0, last: 0 };
  let current: ActorView | null = null;
  let selectedN: number | null = null;

  list.addEventListener('keydown', (event) => {
    if (!current || current.steps.length === 0) return;
    const first = current.steps[0]!.n;
    const last = current.steps.at(-1)!.n;
    const at = selectedN ?? last + 1;
    const moves: Record<string, number | null> = { ArrowUp: Math.max(first, at - 1), ArrowDown: at + 1 > last ? null : at + 1, Home: first, End: null, Escape: null };
    if (!(event.key in moves)) return;
    event.preventDefault();
    onSelect(moves[event.key]!);
  });

  return {
    element: h('section', { class: 'history', 'aria-label': 'Event history' }, h('h2', { class: 'panel-title' }, 'Events received ', count), list, detail),
    update(actor, selected) {
      current = actor;
      selectedN = selected;
      syncItems(actor);
      for (const item of list.children) setAttr(item, 'aria-selected', Number((item as HTMLElement).dataset.n) === selected ? 'true' : 'false');
      setAttr(list, 'aria-activedescendant', selected !== null ? `step-${selected}` : null);
      setText(count, actor ? `${actor.steps.length}${actor.dropped ? ` (${actor.dropped} older dropped)` : ''}` : '');
      const step = actor && selected !== null ? stepByNumber(actor, selected) : undefined;
      drawDetail(step, actor);
      if (selected === null) list.scrollTop = list.scrollHeight;
      else list.querySelector(`[data-n="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
    },
  };

  // Keeps the list in step with the actor's bounded history: drops from the front, appends at the end.
  function syncItems(actor: ActorView | null) {
    const first = actor?.steps[0]?.n ?? 0;
    const last = actor?.steps.at(-1)?.n ?? 0;
    if (!actor || actor.actorId !== drawn.actorId || first > drawn.last || last < drawn.last) {
      list.replaceChildren(...(actor?.steps ?? []).map((step) => toItem(step, onSelect)));
    } else {
      while (list.firstElementChild && Number((list.firstElementChild as HTMLElement).dataset.n) < first) list.firstElementChild.remove();
      // The last drawn step may have learnt its resulting state since: redraw it with the new ones.
      list.lastElementChild?.remove();
      list.append(...actor.steps.filter((step) => step.n >= drawn.last).map((step) => toItem(step, onSelect)));
    }
    drawn = { actorId: actor?.actorId ?? null, first, last };
  }

  function drawDetail(step: ActorStep | undefined, actor: ActorView | null) {
    if (!actor) return void detail.replaceChildren(h('p', { class: 'empty' }, 'Pick an actor to see the events it received.'));
    if (!step) return void detail.replaceChildren(h('p', { class: 'empty' }, 'Live. Select an event to see the state it led to; ↑ ↓ scrub, Esc returns to live.'));
    detail.replaceChildren(
      h('dl', { class: 'facts' }, ...fact('Event', `#${step.n} ${step.event.type}`), ...fact('From', step.sourceId ? `${actorName(step.sourceId)} (${step.sourceId})` : 'unknown'), ...fact('At seq', String(step.atSeq)), ...fact('State after', step.value === null ? 'unknown' : statePath(step.value))),
      ...(step.transitions.length > 0 ? [h('p', { class: 'detail-label' }, 'Transitions taken'), h('ul', { class: 'transitions' }, ...step.transitions.map((t) => h('li', {}, `${t.source} → ${t.targets.join(', ') || '(stays)'}`)))] : []),
      h('p', { class: 'detail-label' }, step.truncated ? 'Event (only its type was sent)' : 'Event'),
      h('pre', { class: 'json' }, JSON.stringify(step.event, null, 2)),
      h('p', { class: 'detail-label' }, step.contextClipped ? 'Context after it (long values clipped)' : 'Context after it'),
      step.context === undefined
        ? h('p', { class: 'empty' }, 'Not reported: this actor is not a state machine, or its context was not sent for this event.')
        : h('pre', { class: 'json', 'data-testid': 'step-context' }, JSON.stringify(step.context, null, 2)),
    );
  }
}

function fact(term: string, value: string): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, value)];
}

function toItem(step: ActorStep, onSelect: (n: number) => void): HTMLElement {
  const item = h(
    'li',
    { role: 'option', id: `step-${step.n}`, 'data-n': step.n, class: step.changed ? 'step changed' : 'step' },
    h('span', { class: 'step-n' }, String(step.n)),
    h('span', { class: 'step-type', title: step.event.type }, step.event.type),
    step.changed && step.value !== null ? h('span', { class: 'step-to', title: statePath(step.value) }, `→ ${leafState(statePath(step.value))}`) : null,
  );
  item.addEventListener('click', () => onSelect(step.n));
  return item;
}
