// What every runner process shares (forked by the coordinator, its job as JSON in argv): it reports
// over IPC, tells the coordinator about every agent group it starts, and leaves nothing behind when
// it fails, is signalled, or loses its coordinator. Each runner script sets it up first thing.
import { rmSync } from 'node:fs';
import { signalGroup } from '../src/adapters/process/process-groups.js';
import type { ChildMessage } from './children.js';

/** A runner's side of the coordinator: its job, its messages, the agent groups it started. */
export interface RunnerProcess<J, M> {
  job: J;
  send(message: M | ChildMessage): Promise<void>;
  /** A process group the runner started: killed if anything goes wrong, here or in the coordinator. */
  track(pgid: number): void;
  /** The group is gone (its leader exited and was reaped). */
  untrack(pgid: number): void;
  /** Runs main and exits 0; on a failure, kills the groups, reports `failed` and exits 1. */
  run(main: () => Promise<void>): void;
}

export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function startRunnerProcess<J extends { scratchDir: string }, M>(): RunnerProcess<J, M> {
  const job = JSON.parse(process.argv[2] ?? '') as J;
  const live = new Set<number>();
  const send = (message: M | ChildMessage) =>
    new Promise<void>((resolve) => {
      if (!process.send || !process.connected) return resolve();
      process.send(message, undefined, undefined, () => resolve());
    });
  // The agents lead their own groups, so the runner's exit would not end them.
  const killGroups = () => {
    for (const pgid of live) signalGroup(pgid, 'SIGKILL');
    live.clear();
  };
  // The coordinator went away: leave nothing behind, its temporary directory included.
  process.on('disconnect', () => {
    killGroups();
    rmSync(job.scratchDir, { recursive: true, force: true });
    process.exit(1);
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      killGroups();
      process.exit(1);
    });
  }
  return {
    job,
    send,
    track(pgid) {
      live.add(pgid);
      void send({ type: 'group', pgid });
    },
    untrack(pgid) {
      live.delete(pgid);
      void send({ type: 'ungroup', pgid });
    },
    run(main) {
      main().then(
        () => process.exit(0),
        async (error: unknown) => {
          killGroups();
          await send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
          process.exit(1);
        },
      );
    },
  };
}
