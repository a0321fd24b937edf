import type { Failure, RecoveryFacts } from '../domain/index.js';
import type { RecoveryFinished, RecoveryInput } from './recovery.js';
import type { WorkerContext } from './worker.js';

/*
 * The worker's side of recovery, as pure functions of its context: which failure a recovery answers,
 * what it is given, and what the session is told.
 */

/** One recovery attempt as the session records it. */
export interface RecoveryRecord {
  recoveryId: string;
  workerId: string;
  agent: WorkerContext['agent'];
  /** The error it answered, with the CLI's own text. */
  failure: Failure;
  finished?: Pick<RecoveryFinished, 'status' | 'strategy'>;
}

/** What a worker tells the session about its recoveries. */
export interface WorkerRecovering {
  type: 'worker.recovery';
  record: RecoveryRecord;
}

// Errors after which a run that ends as a success has not done its work: Claude goes on after a
// permission denial, the file unwritten; Gemini without its tools ends by saying it cannot.
const UNDONE_WORK_CODES: ReadonlySet<string> = new Set(['AGENT_PERMISSION_DENIED', 'AGENT_TOOL_UNAVAILABLE']);

// The failure a recovery would answer: a failed run's, or one of the errors above in a run that
// otherwise succeeded.
export function failureToRecover(context: WorkerContext): Failure | undefined {
  if (!context.recovery || !context.outcome) return undefined;
  if (context.outcome.status === 'failed') return context.outcome.failure;
  if (context.outcome.status === 'done') return context.errors.find((error) => UNDONE_WORK_CODES.has(error.code));
  return undefined;
}

// The next recovery attempt's input.
export function createRecoveryInput(context: WorkerContext, failure: Failure): RecoveryInput {
  const settings = context.recovery!;
  const attempt = context.recoveries + 1;
  const { launch } = context;
  const facts: RecoveryFacts = {
    agent: context.agent,
    code: failure.code,
    message: failure.message,
    attempt,
    maxAttempts: settings.maxAttempts,
    backoffMs: settings.backoffMs,
    cwd: launch.cwd,
    extraDirs: launch.extraDirs,
    skipTrust: launch.skipTrust === true,
    allowedRoots: settings.allowedRoots,
  };
  return {
    sessionId: launch.sessionId,
    recoveryId: `recovery:${context.workerId}:${attempt}`,
    workerId: context.workerId,
    facts,
    launch,
    restarts: context.restarts,
    now: context.exitTs ?? 0,
    intensity: settings.intensity,
  };
}
