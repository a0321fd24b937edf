import { agentLabel } from '../state/describe-entry.js';
import { isReviewer, isWorkerFinished, type WorkerView } from '../state/derive-workers.js';
import { formatCost, formatDuration, formatTokens, leafState } from '../state/format.js';
import { toneOf } from '../state/tone.js';
import type { AppContext } from './context.js';
import { createControlStatus } from './control-status.js';
import { button, h, setAttr, setText } from './dom.js';
import { createOutputPane } from './output-pane.js';

export interface WorkerCard {
  element: HTMLElement;
  update(view: WorkerView): void;
  tick(now: number): void;
}

// One worker's card: who, what role, its machine's state, what it last did, its live output, its
// cost, and its own pause / resume / stop. The buttons follow the state the machine reports,
// never the button last pressed; the answer to the last command shows beside them.
export function createWorkerCard(context: AppContext, workerId: string): WorkerCard {
  const command = (type: 'worker.pause' | 'worker.resume' | 'worker.stop') => () => context.sendControl({ type, workerId });
  const agent = h('h3', { class: 'worker-agent' });
  const badge = h('span', { class: 'badge', 'data-testid': 'worker-state' });
  const meta = h('p', { class: 'worker-meta' });
  const activity = h('span', { class: 'activity-text' });
  const since = h('time', { class: 'activity-time' });
  const outcome = h('p', { class: 'worker-outcome' });
  const output = createOutputPane(workerId);
  const usage = h('span', { class: 'worker-usage' });
  const pause = button('Pause', command('worker.pause'), { class: 'btn btn-small', 'data-testid': 'worker-pause' });
  const resume = button('Resume', command('worker.resume'), { class: 'btn btn-small', 'data-testid': 'worker-resume' });
  const stop = button('Stop', command('worker.stop'), { class: 'btn btn-small btn-danger', 'data-testid': 'worker-stop' });
  const chart = button('Statechart', () => actorId && context.openChart(actorId), { class: 'btn btn-small btn-quiet', 'data-testid': 'worker-chart' });
  const status = createControlStatus(context, workerId);
  const toggle = button('Hide output', () => setCollapsed(!collapsed), { class: 'btn btn-small btn-quiet', 'aria-expanded': 'true' });
  let actorId: string | null = null;
  let lastTs: number | null = null;
  let collapsed = false;
  let wasFinished = false;
  const setCollapsed = (value: boolean) => {
    collapsed = value;
    output.element.hidden = value;
    setText(toggle, value ? 'Show output' : 'Hide output');
    setAttr(toggle, 'aria-expanded', value ? 'false' : 'true');
  };

  // A reviewer's one-shot run has no machine to command: its card only reads.
  const reviewer = isReviewer(workerId);
  const controls = reviewer ? [toggle] : [toggle, pause, resume, stop, chart];
  const element = h(
    'article',
    { class: reviewer ? 'worker-card reviewer' : 'worker-card', 'data-worker-id': workerId, 'aria-label': `${reviewer ? 'Reviewer' : 'Worker'} ${workerId}` },
    h('header', { class: 'worker-head' }, agent, badge),
    meta,
    h('p', { class: 'worker-activity' }, activity, since),
    outcome,
    output.element,
    h('footer', { class: 'worker-foot' }, usage, h('div', { class: 'worker-controls', role: 'group', 'aria-label': `Controls of ${workerId}` }, ...controls), status.element),
  );

  return {
    element,
    update(view) {
      const plan = context.state.plan.get(view.phaseId);
      setText(agent, view.agent ? agentLabel(view.agent) : 'Agent');
      setAttr(element, 'data-agent', view.agent || null);
      const state = leafState(view.state);
      setText(badge, state);
      setAttr(badge, 'title', view.state);
      setAttr(badge, 'data-tone', toneOf(view.state));
      // A finished worker folds its output once, so the live ones stay in view; a reader may unfold it.
      if (isWorkerFinished(view) && !wasFinished) setCollapsed(true);
      wasFinished = isWorkerFinished(view);
      const metaText = reviewer
        ? ['reviewer', view.workerId, view.model].filter(Boolean).join(' · ')
        : [plan?.role, plan?.title ?? view.phaseId, view.workerId, view.model, view.reassignedFrom && `instead of ${agentLabel(view.reassignedFrom)}`].filter(Boolean).join(' · ');
      setText(meta, metaText);
      setAttr(meta, 'title', metaText);
      setText(activity, view.lastActivity?.text ?? 'No activity yet');
      lastTs = view.lastActivity?.ts ?? null;
      const failure = view.outcome?.failure;
      setText(outcome, view.outcome ? `${view.outcome.status}${failure ? ` · ${failure.code}: ${failure.message}` : ''}${view.outcome.summary ? ` · ${view.outcome.summary}` : ''}` : '');
      outcome.hidden = !view.outcome;
      output.update(view.output);
      setText(usage, `${formatTokens(view.usage.inputTokens)} in · ${formatTokens(view.usage.outputTokens)} out · ${formatCost(view.usage.costUsd)}`);
      renderControls(view);
      actorId = view.actorId;
      chart.disabled = actorId === null;
    },
    tick(now) {
      setText(since, lastTs === null ? '' : `${formatDuration(now - lastTs)} ago`);
      status.update(now);
    },
  };

  function renderControls(view: WorkerView) {
    const online = context.isOnline();
    const finished = isWorkerFinished(view);
    const paused = view.state.endsWith('paused');
    const live = !finished && !paused && /(^|\.)(starting|running)$/.test(view.state);
    pause.disabled = !online || !live;
    resume.disabled = !online || !paused;
    stop.disabled = !online || finished || view.state.endsWith('stopping');
    status.update();
  }
}
