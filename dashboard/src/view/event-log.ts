import type { LogEntry } from '../../../src/domain/index.js';
import { describeEntry } from '../state/describe-entry.js';
import { logRowCount, logRowEntry, logRowOfSeq, setLogFilter, type LogFilter } from '../state/derive-log.js';
import { formatClock } from '../state/format.js';
import { computeWindow, isAtEnd, scrollTopForRow } from '../state/virtual-window.js';
import type { AppContext, View } from './context.js';
import { h, setAttr, setText } from './dom.js';
import { createLogFilters } from './log-filters.js';

/** Pixel height of one row; the stylesheet's .log-row uses the same. */
export const ROW_HEIGHT = 24;
const OVERSCAN = 8;

interface Row {
  element: HTMLElement;
  cells: HTMLElement[];
}

// The event log: every committed event, virtualized (only the rows in view exist in the DOM, so
// 100,000 events scroll like 100), filterable by worker, type and text, and followed at the end
// unless the reader scrolls away. Arrow keys move the selection; the selected event shows in full.
export function createEventLog(context: AppContext): View {
  // The store is read through the context each time: a replay scrubbed backwards brings a new one.
  let log = context.state.log;
  const rows: Row[] = [];
  const rowsBox = h('div', { class: 'log-rows' });
  const spacer = h('div', { class: 'log-spacer' }, rowsBox);
  const scroller = h('div', { class: 'log-scroller', tabindex: 0, role: 'listbox', 'aria-label': 'Events', 'data-testid': 'event-log' }, spacer);
  const detail = h('pre', { class: 'log-detail json', 'aria-live': 'polite' });
  const count = h('span', { class: 'log-count' });
  let follow = true;
  let selectedSeq: number | null = null;
  let frame = 0;

  const filters = createLogFilters(context, (filter: LogFilter) => {
    setLogFilter(log, filter);
    follow = true;
    draw(true);
  });
  // A new store has not seen the filter chosen here.
  const followStore = () => {
    if (context.state.log === log) return;
    log = context.state.log;
    setLogFilter(log, filters.current());
  };
  const followBox = h('input', { type: 'checkbox', checked: true });
  followBox.addEventListener('change', () => {
    follow = followBox.checked;
    draw(true);
  });
  const head = h('div', { class: 'log-row log-head', 'aria-hidden': 'true' }, ...['seq', 'time', 'worker', 'type', 'event'].map((label) => h('span', { class: `cell cell-${label}` }, label)));
  const element = h(
    'section',
    { class: 'events', 'aria-label': 'Event log' },
    h('div', { class: 'log-toolbar' }, filters.element, count, h('label', { class: 'follow' }, followBox, ' Follow new events')),
    head,
    scroller,
    detail,
  );

  const viewport = () => ({ scrollTop: scroller.scrollTop, viewportHeight: scroller.clientHeight, rowHeight: ROW_HEIGHT, rowCount: logRowCount(log) });
  const draw = (logChanged: boolean) => {
    const total = logRowCount(log);
    const win = computeWindow({ ...viewport(), overscan: OVERSCAN });
    if (logChanged) {
      spacer.style.height = `${win.scrollHeight}px`;
      if (follow) scroller.scrollTop = win.scrollHeight;
      setText(count, `${total.toLocaleString('en-US')} of ${log.entries.length.toLocaleString('en-US')} events`);
    }
    const current = logChanged && follow ? computeWindow({ ...viewport(), overscan: OVERSCAN }) : win;
    rowsBox.style.transform = `translateY(${current.offsetY}px)`;
    drawRows(current.first, current.end, total);
  };
  const drawRows = (first: number, end: number, total: number) => {
    while (rows.length < end - first) rows.push(createRow(rowsBox, (seq) => select(seq)));
    rows.forEach((row, i) => {
      const entry = first + i < end ? logRowEntry(log, first + i) : undefined;
      row.element.hidden = entry === undefined;
      if (entry) fillRow(row, entry, first + i, total, entry.seq === selectedSeq);
    });
    setAttr(scroller, 'aria-activedescendant', selectedSeq !== null && logRowOfSeq(log, selectedSeq) >= first ? `log-seq-${selectedSeq}` : null);
  };
  const select = (seq: number | null) => {
    selectedSeq = seq;
    const entry = seq === null ? undefined : log.entries.find((e) => e.seq === seq);
    setText(detail, entry ? `${describeEntry(entry).text}\n\n${JSON.stringify(entry, null, 2)}` : 'Select an event to see it in full.');
    draw(false);
  };
  const move = (delta: number | 'home' | 'end') => {
    const total = logRowCount(log);
    if (total === 0) return;
    const current = selectedSeq === null ? -1 : logRowOfSeq(log, selectedSeq);
    const target = delta === 'home' ? 0 : delta === 'end' ? total - 1 : Math.min(total - 1, Math.max(0, (current < 0 ? 0 : current) + delta));
    follow = target === total - 1;
    followBox.checked = follow;
    scroller.scrollTop = scrollTopForRow(target, viewport());
    select(logRowEntry(log, target)?.seq ?? null);
  };

  scroller.addEventListener('scroll', () => {
    follow = isAtEnd(scroller.scrollTop, scroller.clientHeight, scroller.scrollHeight, ROW_HEIGHT);
    followBox.checked = follow;
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => draw(false));
  });
  scroller.addEventListener('keydown', (event) => {
    const page = Math.max(1, Math.floor(scroller.clientHeight / ROW_HEIGHT) - 1);
    const keys: Record<string, number | 'home' | 'end'> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: 'home', End: 'end' };
    const delta = keys[event.key];
    if (delta === undefined) return;
    event.preventDefault();
    move(delta);
  });
  new ResizeObserver(() => draw(false)).observe(scroller);
  select(null);

  return {
    element,
    render(changed) {
      followStore();
      if (changed.has('workers') || changed.has('log')) filters.update();
      if (changed.has('log')) draw(true);
    },
  };
}

function createRow(parent: HTMLElement, onSelect: (seq: number) => void): Row {
  const cells = ['seq', 'time', 'worker', 'type', 'event'].map((name) => h('span', { class: `cell cell-${name}` }));
  const element = h('div', { class: 'log-row', role: 'option' }, ...cells);
  element.style.height = `${ROW_HEIGHT}px`;
  element.addEventListener('click', () => onSelect(Number(element.dataset.seq)));
  parent.append(element);
  return { element, cells };
}

function fillRow(row: Row, entry: LogEntry, index: number, total: number, selected: boolean): void {
  const line = describeEntry(entry);
  const [seq, time, worker, type, text] = row.cells as [HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement];
  row.element.dataset.seq = String(entry.seq);
  row.element.id = `log-seq-${entry.seq}`;
  setAttr(row.element, 'data-tone', line.tone);
  setAttr(row.element, 'aria-selected', selected ? 'true' : 'false');
  setAttr(row.element, 'aria-posinset', String(index + 1));
  setAttr(row.element, 'aria-setsize', String(total));
  setText(seq, String(entry.seq));
  setText(time, formatClock(entry.ts));
  setText(worker, entry.workerId);
  setText(type, entry.type);
  setText(text, line.text);
  setAttr(text, 'title', line.text);
}
