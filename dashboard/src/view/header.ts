import { TIERS } from '../../../src/domain/index.js';
import { isCatchingUp } from '../state/dashboard-state.js';
import { phaseProgress, sessionStateLabel, type SessionView } from '../state/derive-session.js';
import { formatCost, formatDuration, formatTokens } from '../state/format.js';
import { toneOf } from '../state/tone.js';
import { confirmButton } from './confirm-button.js';
import type { AppContext, View } from './context.js';
import { createControlStatus } from './control-status.js';
import { button, h, setAttr, setText } from './dom.js';

// The header: what the session is doing, at which tier and how it got there, how far, how long, at what cost.
export function createHeader(context: AppContext, connection: View): View {
  const task = h('h1', { class: 'task' });
  const badge = h('span', { class: 'badge', 'data-testid': 'session-state' });
  const sessionId = h('span', { class: 'session-id' });
  const tier = stat('Tier', 'tier');
  const tierPath = h('ol', { class: 'tier-path', 'aria-label': 'Tier path' });
  const tierReason = h('p', { class: 'tier-reason' });
  tier.body.append(tierPath, tierReason);
  const phases = stat('Phases', 'phases');
  const phaseBar = h('ol', { class: 'phase-bar', 'aria-hidden': 'true' });
  phases.body.append(phaseBar);
  const elapsed = stat('Elapsed', 'elapsed');
  const tokens = stat('Tokens', 'tokens');
  const cost = stat('Cost', 'cost');
  const pause = button('Pause', () => context.sendControl({ type: 'session.pause' }), { class: 'btn', 'data-testid': 'session-pause' });
  const resume = button('Resume', () => context.sendControl({ type: 'session.resume' }), { class: 'btn', 'data-testid': 'session-resume' });
  const stop = confirmButton('Stop', 'Confirm stop', () => context.sendControl({ type: 'session.stop' }));
  const status = createControlStatus(context, 'session');
  const controls = h('div', { class: 'session-controls', role: 'group', 'aria-label': 'Session controls' }, pause, resume, stop, status.element);

  const element = h(
    'header',
    { class: 'topbar' },
    h('div', { class: 'topbar-row' }, h('span', { class: 'brand' }, 'orchestrate'), sessionId, task, badge, h('span', { class: 'spacer' }), connection.element),
    h('div', { class: 'stats' }, tier.element, phases.element, elapsed.element, tokens.element, cost.element, controls),
  );

  const renderSession = (view: SessionView) => {
    setText(task, view.info.task || 'Untitled task');
    setAttr(task, 'title', view.info.task);
    setText(sessionId, view.info.sessionId);
    const state = sessionStateLabel(view);
    setText(badge, state);
    setAttr(badge, 'data-tone', toneOf(state));
    renderTier(view);
    const progress = phaseProgress(view, context.state.plan.size);
    setText(phases.value, progress.total === 0 ? 'not planned yet' : `${progress.done} of ${progress.total} done`);
    renderPhaseBar(view);
    setText(tokens.value, `${formatTokens(view.usage.inputTokens)} in · ${formatTokens(view.usage.outputTokens)} out`);
    setText(cost.value, formatCost(view.usage.costUsd));
  };
  const renderTier = (view: SessionView) => {
    const label = TIERS.find((t) => t.id === view.tier)?.label;
    setText(tier.value, view.tier ? capitalize(label ?? view.tier) : 'Not chosen yet');
    setAttr(tier.value, 'title', view.tier ?? '');
    tierPath.replaceChildren(
      ...view.tierPath.map((step, index) =>
        h('li', { title: step.reason, tabindex: 0, 'aria-label': `${step.from ?? 'start'} to ${step.to}: ${step.reason}`, class: index === view.tierPath.length - 1 ? 'current' : '' }, step.to),
      ),
    );
    const last = view.tierPath.at(-1);
    setText(tierReason, last ? last.reason : '');
  };
  const renderPhaseBar = (view: SessionView) => {
    const known = new Map(view.phases.map((p) => [p.phaseId, p.status]));
    const ids = [...new Set([...context.state.plan.keys(), ...known.keys()])];
    phaseBar.replaceChildren(
      ...ids.map((id) => h('li', { 'data-status': known.get(id) ?? 'pending', title: `${context.state.plan.get(id)?.title ?? id}: ${known.get(id) ?? 'pending'}` })),
    );
  };
  const renderControls = (view: SessionView | null) => {
    const open = context.isOnline() && view !== null && view.status === 'active';
    pause.disabled = !open || view.paused;
    resume.disabled = !open || !view.paused;
    stop.disabled = !open;
    status.update();
  };

  return {
    element,
    render(changed) {
      const view = context.state.session;
      if (view && (changed.has('header') || changed.has('workers'))) renderSession(view);
      if (changed.has('header') || changed.has('controls') || changed.has('connection')) renderControls(view);
      setAttr(element, 'aria-busy', isCatchingUp(context.state) ? 'true' : 'false');
      connection.render(changed);
      this.tick?.(context.now());
    },
    tick(now) {
      connection.tick?.(now);
      status.update(now);
      const view = context.state.session;
      if (!view) return;
      setText(elapsed.value, formatDuration((view.finishedAt ?? now) - view.info.startedAt));
    },
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function stat(label: string, key: string) {
  const value = h('div', { class: 'stat-value', 'data-testid': `stat-${key}` });
  const body = h('div', { class: 'stat-body' }, value);
  const element = h('div', { class: `stat stat-${key}` }, h('div', { class: 'stat-label' }, label), body);
  return { element, value, body };
}
