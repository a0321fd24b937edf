import { assign, enqueueActions, not, raise, setup, stateIn, type ActorRefFrom } from 'xstate';
import {
  AGENT_LABELS,
  assignPhases,
  buildPhasePrompt,
  selectTier,
  TIERS,
  type AgentName,
  type Assignment,
  type ControlCommand,
  type SessionInput,
  type Failure,
  type PhaseHandoff,
  type TierChange,
  type TierId,
  type WorkerOutcome,
} from '../domain/index.js';
import { commitCheckpointSlot, probeAgentsSlot, type AgentProbe, type Checkpoint } from './slots.js';
import { workerMachine, type WorkerCommand, type WorkerFinished } from './worker.js';

export type { SessionInput, WorkerSettings } from '../domain/index.js';

/** One run of a phase by one agent. */
export interface PhaseAttempt {
  workerId: string;
  agent: AgentName;
  reassignedFrom?: AgentName;
  outcome?: WorkerOutcome;
}

export interface PhaseRecord {
  phaseId: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'stopped';
  attempts: PhaseAttempt[];
  checkpoint?: Checkpoint;
}

export interface SessionContext extends SessionInput {
  probes: AgentProbe[];
  available: AgentName[];
  /** Why each unavailable agent is unavailable. */
  unavailable: Partial<Record<AgentName, string>>;
  phases: PhaseRecord[];
  phaseIndex: number;
  tierPath: TierChange[];
  staffingReason: string;
  currentWorker?: ActorRefFrom<typeof workerMachine>;
  failureReason?: string;
  status?: SessionOutput['status'];
}

export type SessionEvent =
  | ControlCommand
  | { type: 'staffing.changed' }
  /** A worker reached a final state; its output is a WorkerFinished. */
  | { type: `xstate.done.actor.${string}`; output: WorkerFinished };

export interface SessionOutput {
  status: 'completed' | 'failed' | 'stopped';
  reason?: string;
}

function describeUnavailable(unavailable: SessionContext['unavailable']): string {
  const parts = Object.entries(unavailable).map(([agent, why]) => `${AGENT_LABELS[agent as AgentName]}: ${why}`);
  return parts.length > 0 ? `no agent is available (${parts.join('; ')})` : 'no agent is enabled';
}

function currentAssignment(context: SessionContext): Assignment {
  return assignPhases(context.plan, new Set(context.available))[context.phaseIndex]!;
}

function handoffs(context: SessionContext): PhaseHandoff[] {
  return context.phases.slice(0, context.phaseIndex).map((record, index) => {
    const phase = context.plan.phases[index]!;
    const last = record.attempts.at(-1);
    return {
      phaseId: phase.id,
      title: phase.title,
      agent: last ? AGENT_LABELS[last.agent] : 'nobody',
      summary: last?.outcome?.summary ?? '',
      files: record.checkpoint?.files ?? [],
    };
  });
}

function updatePhase(context: SessionContext, change: (record: PhaseRecord) => PhaseRecord): PhaseRecord[] {
  return context.phases.map((record, index) => (index === context.phaseIndex ? change(record) : record));
}

// Only workers are spawned children, so every child-done event the session handles carries a WorkerFinished.
function finishedOf(event: SessionEvent): WorkerFinished {
  return (event as Extract<SessionEvent, { output: WorkerFinished }>).output;
}

function settleAttempt(record: PhaseRecord, event: WorkerFinished): PhaseRecord {
  const attempts = record.attempts.map((a) => (a.workerId === event.workerId ? { ...a, outcome: event.outcome } : a));
  return { ...record, attempts };
}

const tierStates = Object.fromEntries(
  TIERS.map((tier) => [
    tier.id,
    {
      entry: { type: 'recordTier' as const, params: { tier: tier.id } },
      on: { 'staffing.changed': 'assessing' },
      ...(tier.id === 'none' ? { always: { target: '#session.failed', actions: 'failNoAgents' as const } } : {}),
    },
  ]),
);

// The supervisor: probes agents, runs the plan's phases with workers, drops tiers as agents are lost.
export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    input: {} as SessionInput,
    events: {} as SessionEvent,
    output: {} as SessionOutput,
  },
  actors: { worker: workerMachine, probeAgents: probeAgentsSlot, commitCheckpoint: commitCheckpointSlot },
  guards: {
    hasAvailableAgent: ({ context }) => context.available.length > 0,
    isTier: ({ context }, params: { tier: TierId }) => selectTier(new Set(context.available)).id === params.tier,
    workerSucceeded: ({ event }) => finishedOf(event).outcome.status === 'done',
    workerStopped: ({ event }) => finishedOf(event).outcome.status === 'stopped',
    allPhasesDone: ({ context }) => context.phaseIndex >= context.plan.phases.length,
    hasLiveWorker: ({ context }) => context.currentWorker?.getSnapshot().status === 'active',
  },
  actions: {
    recordProbes: assign(({ context }, probes: AgentProbe[]) => {
      const enabled = probes.filter((p) => context.agents.includes(p.agent));
      const unavailable: SessionContext['unavailable'] = {};
      for (const probe of enabled) if (!probe.available) unavailable[probe.agent] = probe.reason ?? 'unavailable';
      const available = enabled.filter((p) => p.available).map((p) => p.agent);
      const staffingReason = Object.keys(unavailable).length === 0 ? 'every enabled agent answered' : describeUnavailable(unavailable).replace('no agent is available ', 'missing ');
      return { probes, available, unavailable, staffingReason };
    }),
    recordTier: assign(({ context }, params: { tier: TierId }) => {
      const from = context.tierPath.at(-1)?.to ?? null;
      if (from === params.tier) return {};
      return { tierPath: [...context.tierPath, { from, to: params.tier, reason: context.staffingReason }] };
    }),
    spawnWorker: assign(({ context, spawn }) => {
      const assignment = currentAssignment(context);
      const phase = context.plan.phases[context.phaseIndex]!;
      const record = context.phases[context.phaseIndex]!;
      const attempt = record.attempts.length + 1;
      const workerId = attempt === 1 ? `worker:${phase.id}` : `worker:${phase.id}:${attempt}`;
      const { cwd, extraDirs, models, idleTimeoutMs, wallTimeoutMs, trustWorktree } = context.workers;
      const currentWorker = spawn('worker', {
        id: workerId,
        systemId: workerId,
        input: {
          phaseId: phase.id,
          role: phase.role,
          wallTimeoutMs,
          launch: {
            sessionId: context.sessionId,
            workerId,
            agent: assignment.agent,
            prompt: buildPhasePrompt(context.task, context.plan, phase, handoffs(context)),
            cwd,
            extraDirs,
            model: models[assignment.agent],
            skipTrust: trustWorktree,
            idleTimeoutMs,
          },
        },
      });
      const started: PhaseAttempt = { workerId, agent: assignment.agent, reassignedFrom: assignment.reassignedFrom };
      const phases = updatePhase(context, (r) => ({ ...r, status: 'running', attempts: [...r.attempts, started] }));
      return { currentWorker, phases };
    }),
    settlePhase: assign(({ context, event }, status: PhaseRecord['status']) => ({
      phases: updatePhase(context, (record) => ({ ...settleAttempt(record, finishedOf(event)), status })),
      currentWorker: undefined,
    })),
    dropAgent: assign(({ context, event }) => {
      const { agent, outcome } = finishedOf(event);
      const failure: Failure = outcome.failure ?? { code: 'AGENT_CRASHED', message: 'failed without a reason' };
      return {
        available: context.available.filter((a) => a !== agent),
        unavailable: { ...context.unavailable, [agent]: `${failure.code}: ${failure.message}` },
        staffingReason: `${AGENT_LABELS[agent]} failed (${failure.code}: ${failure.message})`,
      };
    }),
    announceStaffing: raise({ type: 'staffing.changed' }),
    recordCheckpoint: assign(({ context }, checkpoint: Checkpoint) => ({
      phases: updatePhase(context, (record) => ({ ...record, checkpoint })),
      phaseIndex: context.phaseIndex + 1,
    })),
    failWith: assign((_, reason: string) => ({ failureReason: reason })),
    failNoAgents: assign(({ context }) => ({ failureReason: describeUnavailable(context.unavailable) })),
    sendToCurrentWorker: enqueueActions(({ context, enqueue }, command: WorkerCommand['type']) => {
      if (context.currentWorker) enqueue.sendTo(context.currentWorker, { type: command });
    }),
    forwardControl: enqueueActions(({ context, enqueue, event }) => {
      const { workerId, command } = event as Extract<SessionEvent, { type: 'worker.control' }>;
      if (context.currentWorker?.id === workerId) enqueue.sendTo(context.currentWorker, { type: command });
    }),
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => ({
    ...input,
    probes: [],
    available: [],
    unavailable: {},
    phases: input.plan.phases.map((phase) => ({ phaseId: phase.id, status: 'pending', attempts: [] })),
    phaseIndex: 0,
    tierPath: [],
    staffingReason: '',
  }),
  initial: 'preparing',
  on: { 'session.stop': '.stopping' },
  states: {
    preparing: {
      invoke: {
        src: 'probeAgents',
        input: ({ context }) => ({ agents: context.agents }),
        onDone: { target: 'planning', actions: { type: 'recordProbes', params: ({ event }) => event.output } },
        onError: { target: 'failed', actions: { type: 'failWith', params: ({ event }) => `probing agents failed: ${String(event.error)}` } },
      },
    },
    planning: {
      always: [
        { guard: not('hasAvailableAgent'), target: 'failed', actions: 'failNoAgents' },
        { target: 'active' },
      ],
    },
    active: {
      type: 'parallel',
      on: { 'worker.control': { actions: 'forwardControl' } },
      states: {
        flow: {
          initial: 'launching',
          states: {
            launching: {
              always: [
                // With no agent left the staffing region is entering 'none', which ends the session.
                { guard: not('hasAvailableAgent'), target: 'unstaffed' },
                { guard: stateIn('#session.active.control.paused'), target: 'waiting' },
                { target: 'working', actions: 'spawnWorker' },
              ],
            },
            waiting: {
              always: { guard: stateIn('#session.active.control.running'), target: 'launching' },
            },
            unstaffed: {},
            working: {
              on: {
                'xstate.done.actor.*': [
                  { guard: 'workerSucceeded', target: 'checkpointing', actions: { type: 'settlePhase', params: 'done' } },
                  { guard: 'workerStopped', target: 'checkpointing', actions: { type: 'settlePhase', params: 'stopped' } },
                  { target: 'launching', actions: [{ type: 'settlePhase', params: 'failed' }, 'dropAgent', 'announceStaffing'] },
                ],
              },
            },
            checkpointing: {
              invoke: {
                src: 'commitCheckpoint',
                input: ({ context }) => {
                  const phase = context.plan.phases[context.phaseIndex]!;
                  return { sessionId: context.sessionId, phaseId: phase.id, message: `orchestrate: ${phase.title} phase` };
                },
                onDone: { target: 'next', actions: { type: 'recordCheckpoint', params: ({ event }) => event.output } },
                onError: {
                  target: '#session.failed',
                  actions: { type: 'failWith', params: ({ event }) => `checkpoint commit failed: ${String(event.error)}` },
                },
              },
            },
            next: {
              always: [{ guard: 'allPhasesDone', target: '#session.completed' }, { target: 'launching' }],
            },
          },
        },
        staffing: {
          initial: 'assessing',
          states: {
            assessing: {
              always: TIERS.map((tier) => ({ guard: { type: 'isTier' as const, params: { tier: tier.id } }, target: tier.id })),
            },
            ...tierStates,
          },
        },
        control: {
          initial: 'running',
          states: {
            running: { on: { 'session.pause': 'paused' } },
            paused: {
              entry: { type: 'sendToCurrentWorker', params: 'worker.pause' },
              exit: { type: 'sendToCurrentWorker', params: 'worker.resume' },
              on: { 'session.resume': 'running' },
            },
          },
        },
      },
    },
    stopping: {
      entry: { type: 'sendToCurrentWorker', params: 'worker.stop' },
      always: { guard: not('hasLiveWorker'), target: 'stopped' },
      on: { 'xstate.done.actor.*': { target: 'stopped', actions: { type: 'settlePhase', params: 'stopped' } } },
    },
    completed: { type: 'final', entry: assign({ status: 'completed' as const }) },
    failed: { type: 'final', entry: assign({ status: 'failed' as const }) },
    stopped: { type: 'final', entry: assign({ status: 'stopped' as const }) },
  },
  output: ({ context }) => ({ status: context.status ?? 'failed', reason: context.failureReason }),
});
