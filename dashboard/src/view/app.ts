import { ALL_SLICES, type Slice } from '../state/dashboard-state.js';
import type { AppContext, View } from './context.js';
import { h, setAttr } from './dom.js';
import { createEventLog } from './event-log.js';
import { createHeader } from './header.js';
import { createSessionsView } from './sessions-view.js';
import { createSidePanels } from './side-panels.js';
import { createStatechartView } from './statechart-view.js';
import { createWorkersPanel } from './workers-panel.js';

type TabId = 'overview' | 'events' | 'charts' | 'sessions';

const TABS: { id: TabId; label: string; key: string }[] = [
  { id: 'overview', label: 'Overview', key: '1' },
  { id: 'events', label: 'Event log', key: '2' },
  { id: 'charts', label: 'Statecharts', key: '3' },
  { id: 'sessions', label: 'Sessions', key: '4' },
];

/** The parts that differ between the live session and a replay. */
export interface AppParts {
  /** Beside the task in the header: the connection (live) or what is replayed. */
  status(context: AppContext): View;
  /** Under the header: a replay's transport. */
  bar?(context: AppContext): View;
}

export interface App {
  element: HTMLElement;
  /** Redraws what changed since the last frame. */
  render(changed: ReadonlySet<Slice>): void;
  tick(now: number): void;
  /** Shows the tab the URL names; call once the element is in the document. */
  start(): void;
  /** Detaches the page from the window before it is replaced. */
  dispose(): void;
}

// The page: a header that is always there, and four tabs (overview, event log, statecharts,
// sessions) kept in the URL's hash so a reload returns to the same place. Keys 1-4 switch tabs.
// The same page shows the live session or a replay; main.ts builds a new one when that changes.
export function createApp(context: Omit<AppContext, 'openChart'>, parts: AppParts): App {
  let tab: TabId = 'overview';
  // A prototype, not a copy: the context's getters (the state shown, the mode) stay live.
  const full: AppContext = Object.assign(Object.create(context) as AppContext, { openChart: (actorId: string) => navigate('charts', actorId) });
  const header = createHeader(full, parts.status(full));
  const bar = parts.bar?.(full);
  const workers = createWorkersPanel(full);
  const side = createSidePanels(full);
  const events = createEventLog(full);
  const charts = createStatechartView(full, (actorId) => navigate('charts', actorId));
  const sessions = createSessionsView(full);
  const panels: Record<TabId, { element: HTMLElement; views: View[] }> = {
    overview: { element: h('div', { class: 'overview' }, workers.element, side.element), views: [workers, side] },
    events: { element: events.element, views: [events] },
    charts: { element: charts.element, views: [charts] },
    sessions: { element: sessions.element, views: [sessions] },
  };
  const tabButtons = TABS.map(({ id, label, key }) => {
    const tabButton = h('a', { role: 'tab', id: `tab-${id}`, href: `#${id}`, 'aria-controls': `tabpanel-${id}`, 'aria-keyshortcuts': key, 'data-testid': `tab-${id}` }, label, h('kbd', {}, key));
    return tabButton;
  });
  const tabList = h('nav', { class: 'tabs', role: 'tablist', 'aria-label': 'Views' }, ...tabButtons);
  const main = h('main', { class: 'main' }, ...TABS.map(({ id }) => h('div', { role: 'tabpanel', id: `tabpanel-${id}`, 'aria-labelledby': `tab-${id}`, class: 'tabpanel' }, panels[id].element)));
  const element = h('div', { class: 'app', 'data-mode': context.mode }, header.element, bar?.element, tabList, main);

  // Listeners on the window and document go with the page when it is replaced.
  const detached = new AbortController();

  function navigate(next: TabId, actorId?: string) {
    const hash = actorId ? `#charts/${encodeURIComponent(actorId)}` : `#${next}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
    show();
  }
  function show() {
    const [name = 'overview', rest] = location.hash.slice(1).split('/');
    tab = TABS.some((t) => t.id === name) ? (name as TabId) : 'overview';
    for (const { id } of TABS) {
      const selected = id === tab;
      setAttr(document.getElementById(`tab-${id}`)!, 'aria-selected', selected ? 'true' : 'false');
      setAttr(document.getElementById(`tab-${id}`)!, 'tabindex', selected ? '0' : '-1');
      document.getElementById(`tabpanel-${id}`)!.hidden = !selected;
    }
    if (tab === 'charts') charts.select(rest ? decodeURIComponent(rest) : null);
    for (const view of panels[tab].views) {
      view.render(ALL_SLICES);
      view.onShow?.();
    }
  }
  tabList.addEventListener('keydown', (event) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const index = (TABS.findIndex((t) => t.id === tab) + step + TABS.length) % TABS.length;
    navigate(TABS[index]!.id);
    document.getElementById(`tab-${TABS[index]!.id}`)?.focus();
  });
  window.addEventListener('hashchange', show, { signal: detached.signal });
  document.addEventListener(
    'keydown',
    (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      const match = TABS.find((t) => t.key === event.key);
      if (match) navigate(match.id);
    },
    { signal: detached.signal },
  );

  return {
    element,
    render(changed) {
      header.render(changed);
      bar?.render(changed);
      for (const view of panels[tab].views) view.render(changed);
    },
    tick(now) {
      header.tick?.(now);
      for (const view of panels[tab].views) view.tick?.(now);
    },
    start: show,
    dispose: () => detached.abort(),
  };
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement;
}
