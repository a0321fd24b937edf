import { and, assign, enqueueActions, not, or, raise, setup, stateIn, type ActorRefFrom } from 'xstate';
import {
  AGENT_LABELS,
  assignPhases,
  buildPhasePrompt,
  buildRevisionPrompt,
  selectTier,
  TIERS,
  type AgentName,
  type Assignment,
  type ControlCommand,
  type SessionInput,
  type Failure,
  type ReviewTrigger,
  type PhaseHandoff,
  type TierChange,
  type TierId,
  type WorkerOutcome,
} from '../domain/index.js';
import { reviewMachine, type ReviewFinished } from './review.js';
import {
  canStartReview,
  createReviewInput,
  pendingAfter,
  REPORT_TRIGGERS,
  reviewsEnabled,
  revisionAgent,
  settleReview,
  toReviewRecord,
  type PendingApproval,
  type PendingRevision,
  type ReviewRecord,
} from './session-review.js';
import { commitCheckpointSlot, probeAgentsSlot, type AgentProbe, type Checkpoint } from './slots.js';
import { workerMachine, type WorkerAsks, type WorkerFinished, type WorkerReported } from './worker.js';
import type { RecoveryRecord, WorkerRecovering } from './worker-recovery.js';

export type { SessionInput, WorkerSettings } from '../domain/index.js';

/** One run of a phase by one agent. */
export interface PhaseAttempt {
  workerId: string;
  agent: AgentName;
  reassignedFrom?: AgentName;
  /** Set on a run that revises reviewed work: its round. */
  revision?: number;
  outcome?: WorkerOutcome;
  /** The agent's own conversation, which a revision continues. */
  vendorSessionId?: string;
}

export interface PhaseRecord {
  phaseId: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'stopped';
  attempts: PhaseAttempt[];
  checkpoint?: Checkpoint;
  /** Revision runs made for this phase after reviews asked for changes. */
  revisions: number;
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
  reviews: ReviewRecord[];
  currentReview?: ActorRefFrom<typeof reviewMachine>;
  revision?: PendingRevision;
  approval?: PendingApproval;
  /** A person denied an escalation, a budget or a violation ended the session: it ends failed once its worker has stopped. */
  denied?: boolean;
  /** The last checkpoint commit; the next piece of work starts from it. */
  lastCheckpointSha: string | null;
  /** The commit the work now under way started from, which its review is diffed against. */
  workBase: string | null;
  /** Every recovery attempt of the session's workers, as they report them. */
  recoveries: RecoveryRecord[];
}

export type SessionEvent =
  | ControlCommand
  | WorkerReported
  | WorkerRecovering
  | WorkerAsks
  /** A budget ran out (sent, and recorded, by the runtime's budget monitor). */
  | { type: 'budget.exceeded'; scope: 'session' | 'agent'; budget: string; used: number; max: number; agent?: AgentName }
  | { type: 'staffing.changed' }
  /** No review has happened for the configured interval (sent, and recorded, by the runtime's clock). */
  | { type: 'review.due' }
  /** A review decided that a person must: the control region holds the session for an answer. */
  | { type: 'review.escalated' }
  /** A worker or a review reached a final state; its output is a WorkerFinished or a ReviewFinished. */
  | { type: `xstate.done.actor.${string}`; output: WorkerFinished | ReviewFinished };

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

// The spawned children are workers (`worker:…`) and reviews (`review:…`); their done events say which.
function isReviewDone(event: SessionEvent): boolean {
  return event.type.startsWith('xstate.done.actor.review:');
}

function finishedOf(event: SessionEvent): WorkerFinished {
  return (event as { output: WorkerFinished }).output;
}

function reviewOf(event: SessionEvent): ReviewFinished {
  return (event as { output: ReviewFinished }).output;
}

function settleAttempt(record: PhaseRecord, event: WorkerFinished): PhaseRecord {
  const attempts = record.attempts.map((a) => (a.workerId === event.workerId ? { ...a, outcome: event.outcome, vendorSessionId: event.vendorSessionId } : a));
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
  actors: { worker: workerMachine, review: reviewMachine, probeAgents: probeAgentsSlot, commitCheckpoint: commitCheckpointSlot },
  guards: {
    hasAvailableAgent: ({ context }) => context.available.length > 0,
    isTier: ({ context }, params: { tier: TierId }) => selectTier(new Set(context.available)).id === params.tier,
    isReviewDone: ({ event }) => isReviewDone(event),
    workerSucceeded: ({ event }) => finishedOf(event).outcome.status === 'done',
    workerStopped: ({ event }) => finishedOf(event).outcome.status === 'stopped',
    canStartReview: ({ context }) => canStartReview(context),
    reviewRunning: ({ context }) => context.currentReview?.getSnapshot().status === 'active',
    hasRevision: ({ context }) => context.revision?.phaseId === context.plan.phases[context.phaseIndex]?.id,
    phaseDoneToReview: ({ context }) => reviewsEnabled(context) && context.phases[context.phaseIndex]?.status === 'done',
    decidedToRevise: ({ event }) => isReviewDone(event) && reviewOf(event).decision.action === 'revise',
    answersApproval: ({ context, event }) => event.type === 'approval.answer' && event.approvalId === context.approval?.approvalId,
    approves: ({ event }) => event.type === 'approval.answer' && event.approve,
    wasDenied: ({ context }) => context.denied === true,
    isSessionBudget: ({ event }) => (event as Extract<SessionEvent, { type: 'budget.exceeded' }>).scope === 'session',
    isCommandApproval: ({ context }) => context.approval?.kind === 'command',
    violationFailsSession: ({ context, event }) => context.onViolation === 'fail' && finishedOf(event).outcome.failure?.code === 'AGENT_POLICY_VIOLATION',
    awaitsPerson: ({ context }) => context.approval !== undefined,
    // Paused, or holding for a person's answer (set in context in the step that escalates).
    mustWait: or([not(stateIn('#session.active.control.running')), 'awaitsPerson']),
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
      // A revision continues the author's own conversation with the reviewers' findings.
      const revision = context.revision?.phaseId === phase.id ? context.revision : undefined;
      const revising = revision ? revisionAgent(record, context.available, assignment.agent) : undefined;
      const agent = revising?.agent ?? assignment.agent;
      const prompt = revision
        ? revising?.resumeSessionId
          ? buildRevisionPrompt(revision.findings, revision.round, context.review?.maxRounds ?? revision.round)
          : `${buildPhasePrompt(context.task, context.plan, phase, handoffs(context))}\n\n${buildRevisionPrompt(revision.findings, revision.round, context.review?.maxRounds ?? revision.round)}`
        : buildPhasePrompt(context.task, context.plan, phase, handoffs(context));
      const currentWorker = spawn('worker', {
        id: workerId,
        systemId: workerId,
        input: {
          phaseId: phase.id,
          role: phase.role,
          wallTimeoutMs,
          ...(context.workers.recovery ? { recovery: context.workers.recovery } : {}),
          launch: {
            sessionId: context.sessionId,
            workerId,
            agent,
            prompt,
            cwd,
            extraDirs,
            model: models[agent],
            skipTrust: trustWorktree,
            idleTimeoutMs,
            ...(context.probes.find((probe) => probe.agent === agent)?.unsandboxed ? { unsandboxed: true } : {}),
            ...(revising?.resumeSessionId ? { resumeSessionId: revising.resumeSessionId } : {}),
          },
        },
      });
      const started: PhaseAttempt = {
        workerId,
        agent,
        ...(revision ? { revision: revision.round } : { reassignedFrom: assignment.reassignedFrom }),
      };
      const phases = updatePhase(context, (r) => ({ ...r, status: 'running', attempts: [...r.attempts, started], revisions: r.revisions + (revision ? 1 : 0) }));
      return { currentWorker, phases, revision: undefined, workBase: context.lastCheckpointSha };
    }),
    settlePhase: assign(({ context, event }, status: PhaseRecord['status']) => ({
      phases: updatePhase(context, (record) => ({ ...settleAttempt(record, finishedOf(event)), status })),
      currentWorker: undefined,
    })),
    forgetRevision: assign({ revision: undefined }),
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
      lastCheckpointSha: checkpoint.sha ?? context.lastCheckpointSha,
    })),
    advancePhase: assign(({ context }) => ({ phaseIndex: context.phaseIndex + 1 })),
    startReview: assign(({ context, spawn }, params: { trigger: ReviewTrigger; note?: string }) => {
      const input = createReviewInput(context, params.trigger, params.note);
      const currentReview = spawn('review', { id: input.reviewId, systemId: input.reviewId, input });
      return { currentReview, reviews: [...context.reviews, toReviewRecord(input)] };
    }),
    settleReview: assign(({ context, event }) => {
      const finished = reviewOf(event);
      return { reviews: settleReview(context, finished), currentReview: undefined, ...pendingAfter(finished) };
    }),
    escalateToPerson: raise({ type: 'review.escalated' }),
    escalateIfAsked: enqueueActions(({ event, enqueue }) => {
      if (reviewOf(event).decision.action === 'escalate') enqueue.raise({ type: 'review.escalated' });
    }),
    clearApproval: assign({ approval: undefined }),
    // An agent's tool call waits for a person (its process group is stopped): the session holds for the answer.
    askPerson: assign(({ event }) => {
      const { approvalId, workerId, tool, command, path, reason } = event as WorkerAsks;
      return { approval: { approvalId, kind: 'command' as const, reason, findings: [], workerId, tool, command, path } };
    }),
    // The answer to an agent's tool call goes to that agent's worker.
    answerWorker: enqueueActions(({ context, event, enqueue }) => {
      const { approve } = event as Extract<SessionEvent, { type: 'approval.answer' }>;
      const { approval, currentWorker } = context;
      if (approval?.kind === 'command' && currentWorker && currentWorker.id === approval.workerId) {
        enqueue.sendTo(currentWorker, { type: 'worker.approval', approvalId: approval.approvalId, approve });
      }
    }),
    // The session's budget ran out: no new work starts, the worker is stopped, and the session ends failed saying which.
    endForBudget: assign(({ event }) => {
      const { budget, used, max } = event as Extract<SessionEvent, { type: 'budget.exceeded' }>;
      return { denied: true, failureReason: `the session's ${budget} budget ran out (${used} of ${max})` };
    }),
    // An agent's own budget ran out: it takes no more work (the tier drops), and its run, if any, is stopped.
    stopAgentForBudget: enqueueActions(({ context, event, enqueue }) => {
      const { agent, budget, used, max } = event as Extract<SessionEvent, { type: 'budget.exceeded' }>;
      if (!agent || !context.available.includes(agent)) return;
      const reason = `${AGENT_LABELS[agent]}'s ${budget} budget ran out (${used} of ${max})`;
      enqueue.assign({
        available: context.available.filter((a) => a !== agent),
        unavailable: { ...context.unavailable, [agent]: `AGENT_BUDGET: ${reason}` },
        staffingReason: reason,
      });
      enqueue.raise({ type: 'staffing.changed' });
      const worker = context.currentWorker;
      if (worker && worker.getSnapshot().status === 'active' && worker.getSnapshot().context.agent === agent) enqueue.sendTo(worker, { type: 'worker.budget', reason });
    }),
    failOnViolation: assign(({ event }) => ({ failureReason: `a policy violation stopped ${finishedOf(event).agent}: ${finishedOf(event).outcome.failure?.message ?? ''}` })),
    // A worker's recovery began or ended: one record per attempt, its end filled in when it comes.
    recordRecovery: assign(({ context, event }) => {
      const { record } = event as WorkerRecovering;
      const known = context.recoveries.some((r) => r.recoveryId === record.recoveryId);
      return { recoveries: known ? context.recoveries.map((r) => (r.recoveryId === record.recoveryId ? { ...r, finished: record.finished } : r)) : [...context.recoveries, record] };
    }),
    deny: assign(({ context }) => ({ denied: true, approval: undefined, failureReason: `a person denied going on: ${context.approval?.reason ?? 'after a review'}` })),
    failWith: assign((_, reason: string) => ({ failureReason: reason })),
    failNoAgents: assign(({ context }) => ({ failureReason: describeUnavailable(context.unavailable) })),
    sendToCurrentWorker: enqueueActions(({ context, enqueue }, command: 'worker.pause' | 'worker.resume' | 'worker.stop') => {
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
    phases: input.plan.phases.map((phase) => ({ phaseId: phase.id, status: 'pending', attempts: [], revisions: 0 })),
    phaseIndex: 0,
    tierPath: [],
    staffingReason: '',
    reviews: [],
    recoveries: [],
    onViolation: input.onViolation ?? 'fallback',
    lastCheckpointSha: input.workers.baseSha ?? null,
    workBase: input.workers.baseSha ?? null,
  }),
  initial: 'preparing',
  on: {
    'session.stop': '.stopping',
    'worker.recovery': { actions: 'recordRecovery' },
    'budget.exceeded': [{ guard: 'isSessionBudget', target: '.stopping', actions: 'endForBudget' }, { actions: 'stopAgentForBudget' }],
  },
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
      on: {
        'worker.control': { actions: 'forwardControl' },
        'worker.asks': { actions: ['askPerson', 'escalateToPerson'] },
      },
      states: {
        flow: {
          initial: 'launching',
          states: {
            launching: {
              always: [
                // With no agent left the staffing region is entering 'none', which ends the session.
                { guard: not('hasAvailableAgent'), target: 'unstaffed' },
                { guard: 'mustWait', target: 'waiting' },
                { target: 'working', actions: 'spawnWorker' },
              ],
            },
            // Paused, or a person's answer pending (the escalation is raised after this step, so it is checked in context).
            waiting: {
              always: { guard: not('mustWait'), target: 'next' },
            },
            unstaffed: {},
            working: {
              on: {
                'xstate.done.actor.*': [
                  // A review of the work in progress: its findings wait for the worker to finish.
                  { guard: 'isReviewDone', actions: ['settleReview', 'escalateIfAsked'] },
                  { guard: 'workerSucceeded', target: 'checkpointing', actions: { type: 'settlePhase', params: 'done' } },
                  { guard: 'workerStopped', target: 'checkpointing', actions: { type: 'settlePhase', params: 'stopped' } },
                  { guard: 'violationFailsSession', target: '#session.failed', actions: [{ type: 'settlePhase', params: 'failed' }, 'failOnViolation'] },
                  { target: 'launching', actions: [{ type: 'settlePhase', params: 'failed' }, 'forgetRevision', 'dropAgent', 'announceStaffing'] },
                ],
                'worker.reported': {
                  guard: 'canStartReview',
                  actions: { type: 'startReview', params: ({ event }) => ({ trigger: REPORT_TRIGGERS[event.kind], note: event.text }) },
                },
                'review.request': { guard: 'canStartReview', actions: { type: 'startReview', params: ({ event }) => ({ trigger: 'person' as const, note: event.note }) } },
                'review.due': { guard: 'canStartReview', actions: { type: 'startReview', params: { trigger: 'interval' } } },
              },
            },
            checkpointing: {
              invoke: {
                src: 'commitCheckpoint',
                input: ({ context }) => {
                  const phase = context.plan.phases[context.phaseIndex]!;
                  return { sessionId: context.sessionId, phaseId: phase.id, message: `orchestrate: ${phase.title} phase` };
                },
                onDone: { target: 'reviewGate', actions: { type: 'recordCheckpoint', params: ({ event }) => event.output } },
                onError: {
                  target: '#session.failed',
                  actions: { type: 'failWith', params: ({ event }) => `checkpoint commit failed: ${String(event.error)}` },
                },
              },
            },
            // After a checkpoint: finish a review still running, revise what one asked for, or review the phase's work.
            reviewGate: {
              always: [
                { guard: 'reviewRunning', target: 'awaitingReview' },
                { guard: 'hasRevision', target: 'launching' },
                { guard: 'phaseDoneToReview', target: 'reviewing', actions: { type: 'startReview', params: { trigger: 'phase.finished' } } },
                { target: 'next', actions: 'advancePhase' },
              ],
            },
            awaitingReview: {
              on: { 'xstate.done.actor.*': { guard: 'isReviewDone', target: 'reviewGate', actions: ['settleReview', 'escalateIfAsked'] } },
            },
            reviewing: {
              on: {
                'xstate.done.actor.*': [
                  { guard: 'decidedToRevise', target: 'launching', actions: 'settleReview' },
                  // Escalated: the control region holds the session until a person answers.
                  { guard: 'isReviewDone', target: 'next', actions: ['settleReview', 'escalateIfAsked', 'advancePhase'] },
                ],
              },
            },
            next: {
              always: [
                { guard: 'mustWait', target: 'waiting' },
                { guard: 'allPhasesDone', target: '#session.completed' },
                { target: 'launching' },
              ],
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
            running: { on: { 'session.pause': 'paused', 'review.escalated': 'escalated' } },
            paused: {
              entry: { type: 'sendToCurrentWorker', params: 'worker.pause' },
              exit: { type: 'sendToCurrentWorker', params: 'worker.resume' },
              on: { 'session.resume': 'running', 'review.escalated': 'escalated' },
            },
            // A review escalated: everything waits for a person's answer; a denial ends the session.
            escalated: {
              entry: { type: 'sendToCurrentWorker', params: 'worker.pause' },
              exit: { type: 'sendToCurrentWorker', params: 'worker.resume' },
              on: {
                'approval.answer': [
                  { guard: and(['answersApproval', 'approves']), target: 'running', actions: ['answerWorker', 'clearApproval'] },
                  // Denying an agent's tool call stops that agent (a violation); the session goes on with the others.
                  { guard: and(['answersApproval', 'isCommandApproval']), target: 'running', actions: ['answerWorker', 'clearApproval'] },
                  { guard: 'answersApproval', target: '#session.stopping', actions: 'deny' },
                ],
              },
            },
          },
        },
      },
    },
    stopping: {
      entry: { type: 'sendToCurrentWorker', params: 'worker.stop' },
      always: [
        { guard: and([not('hasLiveWorker'), 'wasDenied']), target: 'failed' },
        { guard: not('hasLiveWorker'), target: 'stopped' },
      ],
      on: {
        'xstate.done.actor.*': [
          { guard: 'isReviewDone' },
          { guard: 'wasDenied', target: 'failed', actions: { type: 'settlePhase', params: 'stopped' } },
          { target: 'stopped', actions: { type: 'settlePhase', params: 'stopped' } },
        ],
      },
    },
    completed: { type: 'final', entry: assign({ status: 'completed' as const }) },
    failed: { type: 'final', entry: assign({ status: 'failed' as const }) },
    stopped: { type: 'final', entry: assign({ status: 'stopped' as const }) },
  },
  output: ({ context }) => ({ status: context.status ?? 'failed', reason: context.failureReason }),
});
