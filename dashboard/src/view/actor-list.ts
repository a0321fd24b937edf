import { actorTree, type ActorView } from '../state/derive-actors.js';
import { leafState, statePath } from '../state/format.js';
import { toneOf } from '../state/tone.js';
import type { AppContext } from './context.js';
import { empty, h, setAttr, setText } from './dom.js';

export interface ActorList {
  element: HTMLElement;
  update(selected: string | null): void;
}

// Every actor of the session's system as a tree, machines first in weight, each with its state.
export function createActorList(context: AppContext, onSelect: (actorId: string) => void): ActorList {
  const list = h('ul', { class: 'actor-list', role: 'listbox', 'aria-label': 'Actors', 'data-testid': 'actor-list' });
  const placeholder = empty('No actor yet. Actors appear once the session runs.');
  const items = new Map<string, { item: HTMLElement; state: HTMLElement }>();
  let order = '';

  const create = (actor: ActorView) => {
    const state = h('span', { class: 'actor-state' });
    const item = h('li', { role: 'option', tabindex: -1, class: 'actor', 'data-actor-id': actor.actorId, id: `actor-${actor.actorId}` }, h('span', { class: 'actor-id' }, actor.id), state);
    item.addEventListener('click', () => onSelect(actor.actorId));
    return { item, state };
  };
  list.addEventListener('keydown', (event) => {
    const options = [...list.querySelectorAll<HTMLElement>('[role=option]')];
    const at = options.findIndex((o) => o.getAttribute('aria-selected') === 'true');
    const next = event.key === 'ArrowDown' ? at + 1 : event.key === 'ArrowUp' ? at - 1 : null;
    if (next === null || !options[next]) return;
    event.preventDefault();
    onSelect(options[next].dataset.actorId!);
  });
  list.tabIndex = 0;

  return {
    element: h('nav', { class: 'actors', 'aria-label': 'Actors' }, h('h2', { class: 'panel-title' }, 'Actors'), placeholder, list),
    update(selected) {
      const tree = actorTree(context.state.actors);
      const key = tree.map(([a, depth]) => `${a.actorId}:${depth}`).join();
      if (key !== order) {
        order = key;
        list.replaceChildren(
          ...tree.map(([actor, depth]) => {
            const entry = items.get(actor.actorId) ?? create(actor);
            items.set(actor.actorId, entry);
            entry.item.dataset.depth = String(Math.min(depth, 4));
            return entry.item;
          }),
        );
      }
      placeholder.hidden = tree.length > 0;
      for (const [actor] of tree) {
        const entry = items.get(actor.actorId)!;
        const state = actor.status !== 'active' ? actor.status : actor.value !== null ? leafState(statePath(actor.value)) : actor.machine ? '' : 'callback';
        setText(entry.state, state);
        setAttr(entry.state, 'data-tone', actor.status !== 'active' ? toneOf(actor.status) : toneOf(state));
        setAttr(entry.item, 'data-machine', actor.machine);
        setAttr(entry.item, 'aria-selected', actor.actorId === selected ? 'true' : 'false');
      }
      setAttr(list, 'aria-activedescendant', selected ? `actor-${selected}` : null);
    },
  };
}
