import { stepByNumber, type ActorView } from '../state/derive-actors.js';
import { activeNodeIds, buildChartModel, takenEdgeIds, type ChartModel } from '../state/derive-chart.js';
import { statePath } from '../state/format.js';
import { createActorList } from './actor-list.js';
import { clearLayouts, layoutChart } from './chart-layout-runner.js';
import { drawChart, type DrawnChart } from './chart-svg.js';
import type { AppContext, View } from './context.js';
import { button, empty, h, setText } from './dom.js';
import { createStepList } from './step-list.js';
import { createZoom, enablePan } from './chart-zoom.js';

export interface StatechartView extends View {
  /** Shows this actor (the session's, by default). */
  select(actorId: string | null): void;
}

// The statechart view: pick an actor, see its machine drawn with the active states lit, live; pick
// one of the events it received to see the chart as it was right after it.
export function createStatechartView(context: AppContext, onSelectActor: (actorId: string) => void): StatechartView {
  let actorId: string | null = null;
  let stepN: number | null = null;
  let drawn: { machine: string; chart: DrawnChart; model: ChartModel } | null = null;
  let pending: string | null = null;
  let seenVersion = -1;
  let sessionId: string | null = null;
  /** An actor asked for (by the URL, say) before the snapshot listed it. */
  let wanted: string | null = null;

  const actors = createActorList(context, (id) => onSelectActor(id));
  const steps = createStepList((id) => context.state.actors.byId.get(id)?.id ?? id, (n) => {
    stepN = n;
    refresh();
  });
  const title = h('h2', { class: 'chart-title' });
  const where = h('p', { class: 'chart-where', 'data-testid': 'chart-state' });
  const live = button('Back to live', () => {
    stepN = null;
    refresh();
  }, { class: 'btn btn-small' });
  const canvas = h('div', { class: 'chart-canvas' }, empty('Pick an actor on the left.'));
  const zoom = createZoom(canvas);
  enablePan(canvas);
  const element = h(
    'section',
    { class: 'charts', 'aria-label': 'Statecharts' },
    actors.element,
    h('div', { class: 'chart-pane' }, h('div', { class: 'chart-head' }, h('div', {}, title, where), h('div', { class: 'chart-tools' }, live, zoom.element)), canvas),
    steps.element,
  );

  function refresh() {
    const actor = actorId ? context.state.actors.byId.get(actorId) : undefined;
    actors.update(actorId);
    steps.update(actor ?? null, stepN);
    live.hidden = stepN === null;
    if (!actor) {
      setText(title, 'No actor selected');
      setText(where, '');
      return;
    }
    setText(title, `${actor.id}${actor.machine ? ` · ${actor.machine} machine` : ''}`);
    const step = stepN === null ? undefined : stepByNumber(actor, stepN);
    const value = step ? step.value : actor.value;
    setText(where, `${step ? `After event #${step.n} (${step.event.type}): ` : actor.status === 'active' ? 'Now: ' : `${actor.status}: `}${value === null ? 'state unknown' : statePath(value)}`);
    ensureChart(actor);
    if (drawn && drawn.machine === actor.machine) {
      const transitions = step ? step.transitions : (actor.steps.at(-1)?.transitions ?? []);
      drawn.chart.light(activeNodeIds(drawn.model, value), takenEdgeIds(drawn.model, transitions));
    }
  }

  function ensureChart(actor: ActorView) {
    const machine = actor.machine;
    if (!machine) {
      drawn = null;
      canvas.replaceChildren(empty(`${actor.id} is not a state machine (a callback or promise actor): it has no chart, only the events it received.`));
      return;
    }
    if (drawn?.machine === machine || pending === machine) return;
    const model = buildChartModel(context.state.machines[machine]);
    if (!model) {
      canvas.replaceChildren(empty(`The server sent no definition of the ${machine} machine.`));
      return;
    }
    pending = machine;
    canvas.replaceChildren(empty('Laying out the chart…'));
    layoutChart(machine, model, { width: canvas.clientWidth || 700, height: canvas.clientHeight || 500 }).then(
      (geometry) => {
        pending = null;
        if (context.state.actors.byId.get(actorId ?? '')?.machine !== machine) return;
        drawn = { machine, chart: drawChart(geometry, `Statechart of the ${machine} machine`), model };
        canvas.replaceChildren(drawn.chart.svg);
        zoom.reset(geometry);
        refresh();
        // A chart larger than the pane opens scrolled to where the actor is.
        canvas.querySelector('g.state[data-active]:not([data-compound])')?.scrollIntoView({ block: 'center', inline: 'center' });
      },
      (error: unknown) => {
        pending = null;
        canvas.replaceChildren(empty(`The chart could not be laid out: ${String(error)}`));
      },
    );
  }

  return {
    element,
    select(id) {
      const fallback = context.state.sessionActorId ?? [...context.state.actors.byId.keys()][0] ?? null;
      const known = id !== null && context.state.actors.byId.has(id);
      wanted = known ? null : id;
      const next = known ? id : fallback;
      if (next !== actorId) stepN = null;
      actorId = next;
      refresh();
    },
    render(changed) {
      if (!changed.has('actors') && !changed.has('header')) return;
      if (context.state.cursor.sessionId !== sessionId) {
        // Another session: its machines may differ, so nothing drawn or laid out is kept.
        if (sessionId !== null) {
          clearLayouts();
          drawn = null;
        }
        sessionId = context.state.cursor.sessionId;
      }
      if (wanted && context.state.actors.byId.has(wanted)) return this.select(wanted);
      if (actorId === null || !context.state.actors.byId.has(actorId)) return this.select(actorId);
      const version = context.state.actors.byId.get(actorId)?.version ?? -1;
      if (version === seenVersion && !changed.has('header')) return actors.update(actorId);
      seenVersion = version;
      refresh();
    },
  };
}
