import { assign, sendParent, sendTo, setup } from 'xstate';
import type { AgentEventOf, AgentName, Role } from '../domain/index.js';
import { decideWorkerOutcome, type Failure, type OutcomeInputs, type WorkerOutcome } from '../domain/worker-outcome.js';
import { agentProcessSlot, type AgentProcessInput, type AgentProcessReport } from './slots.js';

export interface WorkerInput {
  phaseId: string;
  role: Role;
  launch: AgentProcessInput;
  /** Wall-clock deadline for the whole run. */
  wallTimeoutMs: number;
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
  outcome?: WorkerOutcome;
}

/** Commands a worker accepts from the session (and, through it, from a person). */
export type WorkerCommand = { type: 'worker.pause' } | { type: 'worker.resume' } | { type: 'worker.stop' };

export type WorkerEvent = AgentProcessReport | WorkerCommand;

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
    stopRequested: context.stopRequested,
    deadline: context.deadline,
    result: context.result,
    errors: context.errors,
    exitCode: context.exit?.exitCode ?? null,
    signal: context.exit?.signal ?? null,
  };
}

// One agent run: starting → running ⇄ paused → stopping → done | failed | stopped.
export const workerMachine = setup({
  types: {
    context: {} as WorkerContext,
    input: {} as WorkerInput,
    events: {} as WorkerEvent,
  },
  actors: { agentProcess: agentProcessSlot },
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
    recordExit: assign({
      exit: ({ event }) => {
        const { exitCode, signal } = event as AgentEventOf<'agent.exited'>;
        return { exitCode, signal };
      },
    }),
    decideOutcome: assign({ outcome: ({ context }) => decideWorkerOutcome(outcomeInputs(context)) }),
    reportToSession: sendParent(({ context, event }): WorkerReported => {
      const { type, text } = event as AgentEventOf<'agent.milestone' | 'agent.blocker' | 'agent.reviewRequest'>;
      return { type: 'worker.reported', workerId: context.workerId, kind: REPORT_KIND[type], text };
    }),
    pauseProcess: sendTo('process', { type: 'process.pause' }),
    resumeProcess: sendTo('process', { type: 'process.resume' }),
    stopProcess: sendTo('process', { type: 'process.stop' }),
  },
  guards: {
    succeeded: ({ context }) => context.outcome?.status === 'done',
    wasStopped: ({ context }) => context.outcome?.status === 'stopped',
  },
}).createMachine({
  id: 'worker',
  context: ({ input }) => ({
    ...input,
    workerId: input.launch.workerId,
    agent: input.launch.agent,
    errors: [],
    stopRequested: false,
  }),
  initial: 'live',
  states: {
    live: {
      invoke: { id: 'process', src: 'agentProcess', input: ({ context }) => context.launch },
      on: {
        'agent.result': { actions: ['recordResult', 'recordActivity'] },
        'agent.error': { actions: 'recordError' },
        'agent.exited': { target: 'settling', actions: 'recordExit' },
        'agent.toolCall': { actions: 'recordActivity' },
        'agent.milestone': { actions: ['recordActivity', 'reportToSession'] },
        'agent.blocker': { actions: ['recordActivity', 'reportToSession'] },
        'agent.reviewRequest': { actions: ['recordActivity', 'reportToSession'] },
        'agent.approvalRequest': { actions: 'recordActivity' },
        'worker.stop': { target: '.stopping', actions: assign({ stopRequested: true }) },
      },
      after: { wallDeadline: { target: '.stopping', actions: assign({ deadline: 'wallClock' as const }) } },
      initial: 'starting',
      states: {
        starting: {
          on: {
            'agent.started': { target: 'running', actions: ['recordStarted', 'recordActivity'] },
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
        { guard: 'succeeded', target: 'done' },
        { guard: 'wasStopped', target: 'stopped' },
        { target: 'failed' },
      ],
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
