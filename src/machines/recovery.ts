import { assign, sendParent, setup } from 'xstate';
import { chooseRecovery, exceedsRestartIntensity, type RecoveryFacts, type RecoveryStrategy, type RestartIntensity } from '../domain/index.js';
import { applyRecoveryFixSlot, type AgentProcessInput } from './slots.js';

/** One recovery attempt, as its worker starts it. */
export interface RecoveryInput {
  sessionId: string;
  /** `recovery:<workerId>:<n>`, the actor's id. */
  recoveryId: string;
  workerId: string;
  facts: RecoveryFacts;
  /** The launch that failed; a relaunch is this with the fix applied. */
  launch: AgentProcessInput;
  /** When the worker's earlier relaunches happened (event times), and when this failure did. */
  restarts: readonly number[];
  now: number;
  intensity: RestartIntensity;
}

export type RecoveryStatus = 'recovered' | 'failed' | 'exhausted' | 'violated' | 'unavailable';

/** What the worker learns in its xstate.done.actor.recovery:… event. */
export interface RecoveryFinished {
  recoveryId: string;
  status: RecoveryStatus;
  strategy: RecoveryStrategy;
}

/** What a recovery tells its worker, and hears from it about the relaunched run. */
export type RecoveryRelaunch = { type: 'recovery.relaunch'; recoveryId: string; launch: AgentProcessInput };
type RecoveryEvent = { type: 'recovery.running' } | { type: 'recovery.progress' } | { type: 'recovery.failed' };

interface RecoveryContext extends RecoveryInput {
  strategy: RecoveryStrategy;
  status?: RecoveryStatus;
}


// The launch with a relaunch's fix applied; a run that had reached its vendor session continues it.
function patchLaunch(launch: AgentProcessInput, strategy: RecoveryStrategy): AgentProcessInput {
  if (strategy.kind !== 'relaunch') return launch;
  switch (strategy.fix) {
    case 'skipTrust':
      return { ...launch, skipTrust: true };
    case 'addDirectory':
      return { ...launch, extraDirs: [...launch.extraDirs, strategy.directory] };
    case 'dropDirectory':
      return { ...launch, extraDirs: launch.extraDirs.filter((dir) => dir !== strategy.directory) };
    default:
      return launch;
  }
}

// Diagnose the failure with the recovery strategies, past the restart-intensity limit give up.
function diagnose(input: RecoveryInput): RecoveryStrategy {
  if (exceedsRestartIntensity(input.restarts, input.now, input.intensity)) {
    return { kind: 'giveUp', reason: `${input.intensity.maxRestarts} restarts within ${Math.round(input.intensity.periodMs / 1000)} s: no crash loop` };
  }
  return chooseRecovery(input.facts);
}

// One recovery attempt: diagnosing → applying a fix → relaunching → verifying → recovered, or
// failed (the relaunched run failed again: its worker starts the next attempt), exhausted (nothing
// more to try), violated (the agent wanted what the policy denies) or unavailable (fixable only
// outside the session). The fix's I/O is a slot; the relaunch is the worker's.
export const recoveryMachine = setup({
  types: {
    context: {} as RecoveryContext,
    input: {} as RecoveryInput,
    events: {} as RecoveryEvent,
    output: {} as RecoveryFinished,
  },
  actors: { applyRecoveryFix: applyRecoveryFixSlot },
  guards: {
    is: ({ context }, kind: RecoveryStrategy['kind']) => context.strategy.kind === kind,
  },
  actions: {
    end: assign((_, status: RecoveryStatus) => ({ status })),
    askRelaunch: sendParent(({ context }): RecoveryRelaunch => ({ type: 'recovery.relaunch', recoveryId: context.recoveryId, launch: patchLaunch(context.launch, context.strategy) })),
  },
}).createMachine({
  id: 'recovery',
  context: ({ input }) => ({ ...input, strategy: diagnose(input) }),
  initial: 'diagnosing',
  states: {
    diagnosing: {
      always: [
        { guard: { type: 'is', params: 'relaunch' }, target: 'applying' },
        { guard: { type: 'is', params: 'violation' }, target: 'violated' },
        { guard: { type: 'is', params: 'unavailable' }, target: 'unavailable' },
        { target: 'exhausted' },
      ],
    },
    applying: {
      invoke: {
        src: 'applyRecoveryFix',
        input: ({ context }) => ({ sessionId: context.sessionId, workerId: context.workerId, recoveryId: context.recoveryId, strategy: context.strategy }),
        onDone: 'relaunching',
        onError: {
          target: 'exhausted',
          actions: assign({ strategy: ({ event }) => ({ kind: 'giveUp' as const, reason: `the fix could not be applied: ${String(event.error)}` }) }),
        },
      },
    },
    relaunching: {
      entry: 'askRelaunch',
      on: { 'recovery.running': 'verifying', 'recovery.failed': 'failed' },
    },
    verifying: {
      on: { 'recovery.progress': 'recovered', 'recovery.failed': 'failed' },
    },
    recovered: { type: 'final', entry: { type: 'end', params: 'recovered' } },
    failed: { type: 'final', entry: { type: 'end', params: 'failed' } },
    exhausted: { type: 'final', entry: { type: 'end', params: 'exhausted' } },
    violated: { type: 'final', entry: { type: 'end', params: 'violated' } },
    unavailable: { type: 'final', entry: { type: 'end', params: 'unavailable' } },
  },
  output: ({ context }) => ({ recoveryId: context.recoveryId, status: context.status ?? 'exhausted', strategy: context.strategy }),
});
