import type { LogEntry } from '../../../src/domain/index.js';
import type { ActorStatus, SessionDigest, SessionInfo, StateValue } from '../../../src/protocol/index.js';

/** One step of the tier path: from which tier to which, and why. */
export interface TierStep {
  from: string | null;
  to: string;
  reason: string;
}

export interface PhaseView {
  phaseId: string;
  status: string;
  workerIds: string[];
}

export interface UsageView {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Everything the header shows about the session. */
export interface SessionView {
  info: SessionInfo;
  status: ActorStatus;
  value: StateValue | null;
  paused: boolean;
  tier: string | null;
  tierPath: TierStep[];
  available: string[];
  unavailable: Record<string, string>;
  phases: PhaseView[];
  usage: UsageView;
  failureReason?: string;
  /** When the session finished (the ts of session.finished), for a stopped clock. */
  finishedAt: number | null;
}

// The view before any snapshot: what hello says, nothing more.
export function createSessionView(info: SessionInfo): SessionView {
  return {
    info,
    status: 'active',
    value: null,
    paused: false,
    tier: null,
    tierPath: [],
    available: [],
    unavailable: {},
    phases: [],
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    finishedAt: null,
  };
}

// The view from a snapshot's digest; it replaces what was derived before, which it already contains.
export function sessionViewFromDigest(info: SessionInfo, digest: SessionDigest, finishedAt: number | null): SessionView {
  return {
    info,
    status: digest.status,
    value: digest.value,
    paused: digest.paused,
    tier: digest.tier,
    tierPath: digest.tierPath.map((step) => ({ ...step })),
    available: [...digest.available],
    unavailable: { ...digest.unavailable },
    phases: digest.phases.map((phase) => ({ ...phase, workerIds: [...phase.workerIds] })),
    usage: { ...digest.usage },
    ...(digest.failureReason ? { failureReason: digest.failureReason } : {}),
    finishedAt: digest.status === 'active' ? null : finishedAt,
  };
}

// Folds one entry committed after the digest into the view; returns true when something shown changed.
export function applyEntryToSession(view: SessionView, entry: LogEntry): boolean {
  switch (entry.type) {
    case 'session.started':
      view.info = { ...view.info, task: entry.task, target: entry.target, branch: entry.branch, agents: [...entry.agents] };
      return true;
    case 'session.tierChanged': {
      // A digest can be a step ahead of the log it was taken with: never record a step twice.
      const last = view.tierPath.at(-1);
      if (last && last.from === entry.from && last.to === entry.to) return false;
      view.tierPath.push({ from: entry.from, to: entry.to, reason: entry.reason });
      view.tier = entry.to;
      return true;
    }
    case 'phase.started':
      updatePhase(view, entry.phaseId, (phase) => {
        phase.status = 'running';
        if (!phase.workerIds.includes(entry.workerId)) phase.workerIds.push(entry.workerId);
      });
      return true;
    case 'phase.finished':
      updatePhase(view, entry.phaseId, (phase) => (phase.status = entry.outcome.status));
      return true;
    case 'session.paused':
    case 'session.resumed':
      view.paused = entry.type === 'session.paused';
      return true;
    case 'session.finished':
      // Every end of the session machine is a final state, so the actor is done whatever the outcome.
      view.status = 'done';
      view.info = { ...view.info, state: entry.status };
      view.finishedAt = entry.ts;
      if (entry.reason) view.failureReason = entry.reason;
      return true;
    default:
      return false;
  }
}

// The one word the header's state badge shows: the outcome once finished, else the machine's step.
export function sessionStateLabel(view: SessionView): string {
  if (view.status !== 'active') return view.info.state;
  const value = view.value;
  const active = value !== null && typeof value === 'object' ? value.active : undefined;
  // A review escalated: the session holds for a person's answer, whatever its flow is doing.
  if (active && typeof active === 'object' && active.control === 'escalated') return 'escalated';
  if (view.paused) return 'paused';
  if (value === null) return view.info.state;
  if (typeof value === 'string') return value;
  if (active && typeof active === 'object' && typeof active.flow === 'string') return active.flow;
  return Object.keys(value)[0] ?? view.info.state;
}

// Adds a worker's usage change (after minus before) to the session's totals.
export function addUsageDelta(view: SessionView, before: UsageView, after: UsageView): void {
  view.usage = {
    inputTokens: view.usage.inputTokens + after.inputTokens - before.inputTokens,
    outputTokens: view.usage.outputTokens + after.outputTokens - before.outputTokens,
    costUsd: view.usage.costUsd + after.costUsd - before.costUsd,
  };
}

/** Phase progress for the header: how many are settled, and of how many. */
export function phaseProgress(view: SessionView, plannedPhases: number): { done: number; total: number } {
  const done = view.phases.filter((phase) => phase.status === 'done').length;
  return { done, total: Math.max(view.phases.length, plannedPhases) };
}

function updatePhase(view: SessionView, phaseId: string, change: (phase: PhaseView) => void): void {
  let phase = view.phases.find((p) => p.phaseId === phaseId);
  if (!phase) {
    phase = { phaseId, status: 'pending', workerIds: [] };
    view.phases.push(phase);
  }
  change(phase);
}
