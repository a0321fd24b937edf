import { assign, enqueueActions, sendParent, sendTo, setup, type ActorRefFrom } from 'xstate';
import { buildRecoveryPrompt, type AgentEventOf, type AgentName, type Role, type WorkerRecoverySettings } from '../domain/index.js';
import { decideWorkerOutcome, type Failure, type OutcomeInputs, type WorkerOutcome } from '../domain/worker-outcome.js';
import { recoveryMachine, type RecoveryFinished, type RecoveryRelaunch } from './recovery.js';
import { agentProcessSlot, type AgentProcessInput, type AgentProcessReport } from './slots.js';
import { createRecoveryInput, failureToRecover, type RecoveryRecord, type WorkerRecovering } from './worker-recovery.js';

export interface WorkerInput {
  phaseId: string;
  role: Role;
  launch: AgentProcessInput;
  /** Wall-clock deadline for the whole run. */
  wallTimeoutMs: number;
  /** How failures are recovered; without it a failure ends the worker. */
  recovery?: WorkerRecoverySettings;
}

export interface WorkerContext extends WorkerInput {
  workerId: string;
  agent: AgentName;
  vendorSessionId?: string;
  lastActivity?: string;
  result?: { success: boolean; summary: string };
  errors: Failure[];
  stopRequested: boolean;
  deadline?: 'idle' | 'wallClock';
  exit?: { exitCode: number | null; signal: string | null };
  /** When the last run exited (the event's time), for the restart-intensity limit. */
  exitTs?: number;
  outcome?: WorkerOutcome;
  /** Recovery attempts started, the times of the relaunches, and the attempt under way. */
  recoveries: number;
  restarts: number[];
  currentRecovery?: ActorRefFrom<typeof recoveryMachine>;
  /** The run a recovery answers had succeeded (a denied write): if nothing can be done, it stands. */
  recoveringDone?: boolean;
  /** Why the orchestrator's enforcement stopped the run, if it did. */
  enforced?: Failure;
}

/** Commands a worker accepts from the session (and, through it, from a person). */
export type WorkerCommand =
  | { type: 'worker.pause' }
  | { type: 'worker.resume' }
  | { type: 'worker.stop' }
  /** A person answered the agent's tool call that the policy sent to them. */
  | { type: 'worker.approval'; approvalId: string; approve: boolean }
  /** The agent's budget ran out: the run is stopped, and fails for it. */
  | { type: 'worker.budget'; reason: string };

/** A tool call of the agent waits for a person (the runtime stopped its process group). */
export interface WorkerAsks {
  type: 'worker.asks';
  workerId: string;
  approvalId: string;
  tool: string;
  command?: string;
  path?: string;
  reason: string;
}

export type WorkerEvent =
  | AgentProcessReport
  | WorkerCommand
  | RecoveryRelaunch
  | { type: `xstate.done.actor.${string}`; output: RecoveryFinished };

/** What a worker tells the session while it runs: the agent reported a milestone, a blocker or a review request. */
export interface WorkerReported {
  type: 'worker.reported';
  workerId: string;
  kind: 'milestone' | 'blocker' | 'review';
  text: string;
}

const REPORT_KIND = { 'agent.milestone': 'milestone', 'agent.blocker': 'blocker', 'agent.reviewRequest': 'review' } as const;

/** A worker's output: what the session learns, in its xstate.done.actor.<workerId> event. */
export interface WorkerFinished {
  workerId: string;
  phaseId: string;
  agent: AgentName;
  outcome: WorkerOutcome;
  vendorSessionId?: string;
}

const MAX_ERRORS_KEPT = 5;

function outcomeInputs(context: WorkerContext): OutcomeInputs {
  return {
    enforced: context.enforced,
    stopRequested: context.stopRequested,
    deadline: context.deadline,
    result: context.result,
    errors: context.errors,
    exitCode: context.exit?.exitCode ?? null,
    signal: context.exit?.signal ?? null,
  };
}

// One agent run: starting → running ⇄ paused → stopping → done | failed | stopped; a failure goes
// through recovery attempts (each its own machine) that may relaunch the run with a fix.
export const workerMachine = setup({
  types: {
    context: {} as WorkerContext,
    input: {} as WorkerInput,
    events: {} as WorkerEvent,
  },
  actors: { agentProcess: agentProcessSlot, recovery: recoveryMachine },
  delays: { wallDeadline: ({ context }) => context.wallTimeoutMs },
  actions: {
    recordStarted: assign({
      vendorSessionId: ({ context, event }) =>
        (event as AgentEventOf<'agent.started'>).vendorSessionId ?? context.vendorSessionId,
    }),
    recordActivity: assign({ lastActivity: ({ event }) => event.type }),
    recordResult: assign({
      result: ({ event }) => {
        const { success, summary } = event as AgentEventOf<'agent.result'>;
        return { success, summary };
      },
    }),
    recordError: assign({
      errors: ({ context, event }) => {
        const { code, message } = event as AgentEventOf<'agent.error'>;
        return [...context.errors, { code, message }].slice(-MAX_ERRORS_KEPT);
      },
    }),
    recordExit: assign(({ event }) => {
      const { exitCode, signal, ts } = event as AgentEventOf<'agent.exited'> & { ts?: number };
      return { exit: { exitCode, signal }, exitTs: ts };
    }),
    // A recovery attempt for the failure the run ended with; the session records it.
    startRecovery: enqueueActions(({ context, enqueue }) => {
      const failure = failureToRecover(context)!;
      const input = createRecoveryInput(context, failure);
      const record: RecoveryRecord = { recoveryId: input.recoveryId, workerId: context.workerId, agent: context.agent, failure };
      enqueue.assign({
        currentRecovery: ({ spawn }) => spawn('recovery', { id: input.recoveryId, systemId: input.recoveryId, input }),
        recoveries: context.recoveries + 1,
        recoveringDone: context.outcome?.status === 'done',
      });
      enqueue.sendParent({ type: 'worker.recovery', record } satisfies WorkerRecovering);
    }),
    // The recovery asked for a relaunch: a fresh run, which continues the vendor's conversation when there was one.
    relaunch: assign(({ context, event }) => {
      const { launch } = event as RecoveryRelaunch;
      const resumed = context.vendorSessionId ? { resumeSessionId: context.vendorSessionId, prompt: buildRecoveryPrompt() } : {};
      return {
        launch: { ...launch, ...resumed },
        restarts: [...context.restarts, context.exitTs ?? 0],
        result: undefined,
        errors: [],
        exit: undefined,
        deadline: undefined,
        enforced: undefined,
        outcome: undefined,
      };
    }),
    tellRecovery: enqueueActions(({ context, enqueue }, type: 'recovery.running' | 'recovery.progress' | 'recovery.failed') => {
      const recovery = context.currentRecovery;
      if (recovery?.getSnapshot().status === 'active') enqueue.sendTo(recovery, { type });
    }),
    // A recovery ended: the session records how; one that gave up leaves the run's outcome with why.
    endRecovery: enqueueActions(({ context, event, enqueue }) => {
      const finished = (event as { output: RecoveryFinished }).output;
      const failure = failureToRecover(context);
      enqueue.sendParent({ type: 'worker.recovery', record: { recoveryId: finished.recoveryId, workerId: context.workerId, agent: context.agent, failure: failure ?? { code: 'AGENT_CRASHED', message: '' }, finished } } satisfies WorkerRecovering);
      if (finished.recoveryId !== context.currentRecovery?.id || context.recoveringDone || !context.outcome?.failure) return;
      const { failure: lost } = context.outcome;
      enqueue.assign({ outcome: { ...context.outcome, failure: { code: lost.code, message: `${lost.message} (recovery ${finished.status}: ${finished.strategy.reason})` } } });
    }),
    decideOutcome: assign({ outcome: ({ context }) => decideWorkerOutcome(outcomeInputs(context)) }),
    reportToSession: sendParent(({ context, event }): WorkerReported => {
      const { type, text } = event as AgentEventOf<'agent.milestone' | 'agent.blocker' | 'agent.reviewRequest'>;
      return { type: 'worker.reported', workerId: context.workerId, kind: REPORT_KIND[type], text };
    }),
    // The runtime stopped the run for the policy (it killed the group already): the outcome says why.
    recordEnforcement: assign(({ event }) => {
      const body = event as unknown as { type: 'policy.violation' | 'limit.exceeded'; reason?: string; limit?: string; value?: number; max?: number; rule?: string };
      const enforced: Failure =
        body.type === 'policy.violation'
          ? { code: 'AGENT_POLICY_VIOLATION', message: body.reason ?? 'the policy forbids it' }
          : { code: 'AGENT_LIMIT_EXCEEDED', message: `${body.limit} ${body.value} over its limit of ${body.max}` };
      return { enforced };
    }),
    askPerson: sendParent(({ context, event }): WorkerAsks => {
      const { approvalId, tool, command, path, reason } = event as unknown as Omit<WorkerAsks, 'type' | 'workerId'>;
      return { type: 'worker.asks', workerId: context.workerId, approvalId, tool, command, path, reason };
    }),
    answerProcess: sendTo('process', ({ event }) => {
      const { approvalId, approve } = event as Extract<WorkerCommand, { type: 'worker.approval' }>;
      return { type: approve ? ('process.approve' as const) : ('process.deny' as const), approvalId };
    }),
    endForBudget: assign(({ event }) => ({ enforced: { code: 'AGENT_BUDGET' as const, message: (event as Extract<WorkerCommand, { type: 'worker.budget' }>).reason } })),
    pauseProcess: sendTo('process', { type: 'process.pause' }),
    resumeProcess: sendTo('process', { type: 'process.resume' }),
    stopProcess: sendTo('process', { type: 'process.stop' }),
  },
  guards: {
    succeeded: ({ context }) => context.outcome?.status === 'done',
    wasStopped: ({ context }) => context.outcome?.status === 'stopped',
    canRecover: ({ context }) => failureToRecover(context) !== undefined,
    resultSucceeded: ({ event }) => (event as AgentEventOf<'agent.result'>).success === true,
    isCurrentRecovery: ({ context, event }) => (event as { output?: RecoveryFinished }).output?.recoveryId === context.currentRecovery?.id,
    recoveredDone: ({ context }) => context.recoveringDone === true,
    isRecoveryRelaunch: ({ context, event }) => (event as RecoveryRelaunch).recoveryId === context.currentRecovery?.id,
  },
}).createMachine({
  id: 'worker',
  context: ({ input }) => ({
    ...input,
    workerId: input.launch.workerId,
    agent: input.launch.agent,
    errors: [],
    stopRequested: false,
    recoveries: 0,
    restarts: [],
  }),
  initial: 'live',
  states: {
    live: {
      invoke: { id: 'process', src: 'agentProcess', input: ({ context }) => context.launch },
      on: {
        'agent.result': [
          // Only a successful result shows a relaunched run got past what it failed on.
          { guard: 'resultSucceeded', actions: ['recordResult', 'recordActivity', { type: 'tellRecovery', params: 'recovery.progress' }] },
          { actions: ['recordResult', 'recordActivity'] },
        ],
        'agent.error': { actions: 'recordError' },
        'agent.exited': { target: 'settling', actions: 'recordExit' },
        'agent.toolCall': { actions: ['recordActivity', { type: 'tellRecovery', params: 'recovery.progress' }] },
        // A recovery that ended while its relaunched run goes on (recovered, say) is recorded.
        'xstate.done.actor.*': { actions: 'endRecovery' },
        'agent.milestone': { actions: ['recordActivity', 'reportToSession'] },
        'agent.blocker': { actions: ['recordActivity', 'reportToSession'] },
        'agent.reviewRequest': { actions: ['recordActivity', 'reportToSession'] },
        'agent.approvalRequest': { actions: 'recordActivity' },
        'policy.violation': { actions: 'recordEnforcement' },
        'limit.exceeded': { actions: 'recordEnforcement' },
        'policy.ask': { actions: ['recordActivity', 'askPerson'] },
        'worker.approval': { actions: 'answerProcess' },
        'worker.budget': { target: '.stopping', actions: 'endForBudget' },
        'worker.stop': { target: '.stopping', actions: assign({ stopRequested: true }) },
      },
      after: { wallDeadline: { target: '.stopping', actions: assign({ deadline: 'wallClock' as const }) } },
      initial: 'starting',
      states: {
        starting: {
          on: {
            'agent.started': { target: 'running', actions: ['recordStarted', 'recordActivity', { type: 'tellRecovery', params: 'recovery.running' }] },
            'process.idle': { target: 'stalled' },
            'worker.pause': { target: 'paused' },
          },
        },
        running: {
          on: {
            'agent.started': { actions: 'recordStarted' },
            'process.idle': { target: 'stalled' },
            'worker.pause': { target: 'paused' },
          },
        },
        paused: {
          entry: 'pauseProcess',
          on: { 'worker.resume': { target: 'running', actions: 'resumeProcess' } },
        },
        stalled: {
          entry: [assign({ deadline: 'idle' as const }), 'stopProcess'],
        },
        stopping: {
          entry: 'stopProcess',
        },
      },
    },
    settling: {
      entry: 'decideOutcome',
      always: [
        { guard: 'wasStopped', target: 'stopped' },
        // A failure (or a denied write) goes to a recovery attempt; the one under way, if any, failed.
        { guard: 'canRecover', target: 'recovering', actions: [{ type: 'tellRecovery', params: 'recovery.failed' }, 'startRecovery'] },
        { guard: 'succeeded', target: 'done' },
        { target: 'failed' },
      ],
    },
    recovering: {
      on: {
        'recovery.relaunch': { guard: 'isRecoveryRelaunch', target: 'live', actions: 'relaunch' },
        'xstate.done.actor.*': [
          { guard: 'isCurrentRecovery', target: 'settled', actions: 'endRecovery' },
          { actions: 'endRecovery' },
        ],
      },
    },
    // The last recovery gave up: the run's own outcome stands (with why the recovery could not help).
    settled: {
      always: [{ guard: 'recoveredDone', target: 'done' }, { target: 'failed' }],
    },
    done: { type: 'final' },
    failed: { type: 'final' },
    stopped: { type: 'final' },
  },
  output: ({ context }): WorkerFinished => ({
    workerId: context.workerId,
    phaseId: context.phaseId,
    agent: context.agent,
    outcome: context.outcome!,
    vendorSessionId: context.vendorSessionId,
  }),
});
