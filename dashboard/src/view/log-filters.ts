import { NO_FILTER, type LogFilter } from '../state/derive-log.js';
import type { AppContext } from './context.js';
import { h } from './dom.js';

export interface LogFilters {
  element: HTMLElement;
  /** Refreshes the menus when new workers or types appear. */
  update(): void;
  /** The filter chosen now. */
  current(): LogFilter;
}

const TEXT_DEBOUNCE_MS = 150;

// The event log's filters: a worker, a type, and free text; each change applies at once.
export function createLogFilters(context: AppContext, onChange: (filter: LogFilter) => void): LogFilters {
  const worker = h('select', { 'aria-label': 'Filter by worker', 'data-testid': 'filter-worker' });
  const type = h('select', { 'aria-label': 'Filter by type', 'data-testid': 'filter-type' });
  const text = h('input', { type: 'search', placeholder: 'Filter text', 'aria-label': 'Filter by text', class: 'filter-text' });
  const clear = h('button', { type: 'button', class: 'btn btn-small btn-quiet' }, 'Clear');
  let timer: number | undefined;
  let menus = { workers: '', types: '' };
  const current = (): LogFilter => ({ workerId: worker.value || null, type: type.value || null, text: text.value });
  const apply = () => onChange(current());

  worker.addEventListener('change', apply);
  type.addEventListener('change', apply);
  text.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(apply, TEXT_DEBOUNCE_MS);
  });
  clear.addEventListener('click', () => {
    worker.value = '';
    type.value = '';
    text.value = '';
    onChange(NO_FILTER);
  });

  return {
    element: h('div', { class: 'log-filters', role: 'group', 'aria-label': 'Event filters' }, worker, type, text, clear),
    current,
    update() {
      const { log } = context.state;
      const workers = [...log.workers.keys()].sort();
      const types = [...log.types.keys()].sort();
      if (workers.join() !== menus.workers) fillSelect(worker, 'All workers', workers);
      if (types.join() !== menus.types) fillSelect(type, 'All types', types);
      menus = { workers: workers.join(), types: types.join() };
    },
  };
}

// Replaces a menu's options and keeps what was chosen.
function fillSelect(select: HTMLSelectElement, anyLabel: string, values: string[]): void {
  const chosen = select.value;
  select.replaceChildren(h('option', { value: '' }, anyLabel), ...values.map((value) => h('option', { value }, value)));
  select.value = values.includes(chosen) ? chosen : '';
}
