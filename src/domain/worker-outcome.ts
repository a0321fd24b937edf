import type { FailureCode } from './failure.js';

/** A classified failure, with the text it came from. */
export interface Failure {
  code: FailureCode;
  message: string;
}

export type WorkerStatus = 'done' | 'failed' | 'stopped';

/** How one agent run ended, as the worker machine reports it to the session. */
export interface WorkerOutcome {
  status: WorkerStatus;
  summary: string;
  failure?: Failure;
}

export interface OutcomeInputs {
  stopRequested: boolean;
  /** Why the worker stopped the agent itself (idle or wall-clock deadline), if it did. */
  deadline?: 'idle' | 'wallClock';
  result?: { success: boolean; summary: string };
  errors: readonly Failure[];
  /** Why the orchestrator's enforcement stopped the run (a policy violation, a limit, a budget): it outweighs what the agent said. */
  enforced?: Failure;
  exitCode: number | null;
  signal: string | null;
}

// Errors that explain a stall better than "stalled" does (Codex retries the network forever).
const EXPLAINS_STALL: ReadonlySet<FailureCode> = new Set(['AGENT_NETWORK', 'AGENT_RATE_LIMITED']);

// Decides how a run ended: a person's stop wins, then the vendor's verdict, then the errors seen.
export function decideWorkerOutcome(inputs: OutcomeInputs): WorkerOutcome {
  const summary = inputs.result?.summary ?? '';
  if (inputs.enforced) return { status: 'failed', summary, failure: inputs.enforced };
  if (inputs.stopRequested) return { status: 'stopped', summary };
  if (inputs.deadline) return { status: 'failed', summary, failure: deadlineFailure(inputs) };
  if (inputs.result?.success) return { status: 'done', summary };
  const failure = inputs.errors.at(-1) ?? {
    code: 'AGENT_CRASHED' as const,
    message: describeExit(inputs.exitCode, inputs.signal),
  };
  return { status: 'failed', summary, failure };
}

function deadlineFailure(inputs: OutcomeInputs): Failure {
  const explaining = inputs.errors.find((error) => EXPLAINS_STALL.has(error.code));
  if (explaining) return explaining;
  return inputs.deadline === 'idle'
    ? { code: 'AGENT_STALLED', message: 'no output within the idle deadline; the agent was stopped' }
    : { code: 'AGENT_TIMED_OUT', message: 'the phase ran past its wall-clock deadline; the agent was stopped' };
}

// A short human description of how a process ended.
export function describeExit(exitCode: number | null, signal: string | null): string {
  if (signal) return `the agent was killed by ${signal}`;
  if (exitCode === null) return 'the agent did not start';
  return `the agent exited with code ${exitCode} without a result`;
}
