import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fromPromise } from 'xstate';
import type { RecoveryStrategy } from '../domain/index.js';
import type { RecoveryFixInput } from '../machines/slots.js';

/** Where the fix actor records what it did, so a replay answers the same without doing it. */
export interface RecoveryFixRecorder {
  append(workerId: string, body: { type: 'recovery.applied'; recoveryId: string; strategy: RecoveryStrategy }): unknown;
}

// The applyRecoveryFix actor: creates a directory the fix needs and waits out a backoff (the
// recovery's own stop aborts the wait), then records the fix. A failing mkdir rejects, and the
// recovery gives up with why.
export function createRecoveryFixLogic(log: RecoveryFixRecorder) {
  return fromPromise<{ applied: true }, RecoveryFixInput>(async ({ input, signal }) => {
    const { strategy } = input;
    if (strategy.kind === 'relaunch' && strategy.fix === 'createDirectory') await mkdir(strategy.directory, { recursive: true });
    if (strategy.kind === 'relaunch' && strategy.delayMs > 0) await sleep(strategy.delayMs, undefined, { signal });
    log.append(input.workerId, { type: 'recovery.applied', recoveryId: input.recoveryId, strategy });
    return { applied: true };
  });
}
