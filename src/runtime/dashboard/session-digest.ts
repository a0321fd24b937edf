import type { AnyActorRef } from 'xstate';
import { sumUsage, type UsageTotals } from '../../domain/index.js';
import type { SessionContext } from '../../machines/index.js';
import type { ActorDigest, ActorStatus, SessionDigest, StateValue, WorkerDigest } from '../../protocol/index.js';
import { describeActor } from './inspection-feed.js';

interface SnapshotLike {
  status: ActorStatus;
  value?: StateValue;
  children?: Record<string, AnyActorRef | undefined>;
}

// The session now, as plain data built field by field (the context holds actor refs and the whole
// plan): phases, workers with their live state or outcome, tiers, usage, and every live actor.
export function deriveSessionDigest(root: AnyActorRef, usageByWorker: Readonly<Record<string, UsageTotals>>): SessionDigest {
  const snapshot = root.getSnapshot() as SnapshotLike & { value: StateValue; context: SessionContext };
  const { context, value } = snapshot;
  const live = context.currentWorker;
  const workers = context.phases.flatMap((record) =>
    record.attempts.map((attempt): WorkerDigest => {
      const running = live?.id === attempt.workerId ? toPath(live.getSnapshot().value as StateValue) : 'starting';
      return {
        workerId: attempt.workerId,
        phaseId: record.phaseId,
        agent: attempt.agent,
        state: attempt.outcome?.status ?? running,
        ...(attempt.reassignedFrom ? { reassignedFrom: attempt.reassignedFrom } : {}),
        ...(attempt.outcome ? { outcome: { ...attempt.outcome } } : {}),
        ...(usageByWorker[attempt.workerId] ? { usage: { ...usageByWorker[attempt.workerId]! } } : {}),
      };
    }),
  );
  return {
    status: snapshot.status,
    value,
    paused: typeof value === 'object' && typeof value.active === 'object' && value.active.control === 'paused',
    tier: context.tierPath.at(-1)?.to ?? null,
    tierPath: context.tierPath.map(({ from, to, reason }) => ({ from, to, reason })),
    available: [...context.available],
    unavailable: { ...context.unavailable } as Record<string, string>,
    phases: context.phases.map((record) => ({ phaseId: record.phaseId, status: record.status, workerIds: record.attempts.map((a) => a.workerId) })),
    workers,
    actors: listActors(root),
    usage: sumUsage(Object.values(usageByWorker)),
    ...(context.failureReason ? { failureReason: context.failureReason } : {}),
  };
}

// Every live actor under `root`, parents first, so a client can draw charts it never saw created.
export function listActors(root: AnyActorRef): ActorDigest[] {
  const out: ActorDigest[] = [];
  const visit = (ref: AnyActorRef) => {
    const snapshot = ref.getSnapshot() as SnapshotLike;
    const actor = describeActor(ref);
    out.push({ ...actor, status: snapshot.status, ...(actor.machine && snapshot.value !== undefined ? { value: snapshot.value } : {}) });
    for (const child of Object.values(snapshot.children ?? {})) if (child) visit(child);
  };
  visit(root);
  return out;
}

// A state value as one line: 'live.running', or 'active.(flow.working,staffing.trio)' for parallel regions.
export function toPath(value: StateValue): string {
  if (typeof value === 'string') return value;
  const parts = Object.entries(value).map(([key, child]) => `${key}.${toPath(child)}`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(',')})`;
}
