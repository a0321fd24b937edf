// Everything the coordinator starts, so that no exit path leaves a process or a directory behind:
// the runner processes (each leads its own process group), the agent groups they report, and the
// temporary directories. cleanUp() runs on every exit, on SIGINT, SIGTERM and SIGHUP.
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { isGroupAlive, signalGroup } from '../src/adapters/process/process-groups.js';

export class BenchError extends Error {}

const runners = new Set<ChildProcess>();
const groups = new Set<number>();
const dirs = new Set<string>();

/** A temporary directory to remove on exit (and by a runner left without its coordinator). */
export function trackDir(dir: string): string {
  dirs.add(dir);
  return dir;
}

export function trackGroup(pgid: number): void {
  groups.add(pgid);
}

export function untrackGroup(pgid: number): void {
  groups.delete(pgid);
}

/** Kills the reported agent groups that are still alive, and forgets them. */
export function killGroups(): void {
  for (const pgid of groups) if (isGroupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
  groups.clear();
}

/** The reported agent groups still alive. */
export function liveGroups(): number[] {
  return [...groups].filter((pgid) => isGroupAlive(pgid));
}

/** Kills a runner and everything in its process group (it was forked detached, so it leads one). */
export function killRunner(runner: ChildProcess): void {
  if (runner.pid !== undefined && runner.exitCode === null && runner.signalCode === null) signalGroup(runner.pid, 'SIGKILL');
}

export function cleanUp(): void {
  for (const runner of runners) killRunner(runner);
  runners.clear();
  killGroups();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\nbench: interrupted by ${signal}, stopping every process it started\n`);
    cleanUp();
    process.exit(130);
  });
}

/** Messages every runner may send: the agent groups it starts and ends, its failure. */
export type ChildMessage = { type: 'group'; pgid: number } | { type: 'ungroup'; pgid: number } | { type: 'failed'; message: string };

export interface ForkOptions<M> {
  script: string;
  job: unknown;
  /** What the runner measures, for messages. */
  what: string;
  /** Bound of the whole runner, start to exit; it is killed (with its group) when it is missed. */
  deadlineMs: number;
  /**
   * SIGKILLs the runner's process group as soon as it sends a message for which this is true; that
   * message is then the result, and the exit by SIGKILL is expected. The agents it started are left
   * to the orchestrator's watchdog, as after any crash.
   */
  killWhen?(message: M): boolean;
}

// Forks one runner (detached, --expose-gc, the job as JSON in argv) and resolves with the first
// message `pick` accepts, once the runner has exited 0 (or was killed by killWhen). Rejects with a
// BenchError naming the runner on any failure. Agent groups it reported and that are still alive
// when it exits are killed, except after a killWhen kill.
export function forkRunner<M extends { type: string }, R>(options: ForkOptions<M>, pick: (message: M) => R | undefined): Promise<R> {
  return new Promise((resolve, reject) => {
    const runner = fork(options.script, [JSON.stringify(options.job)], {
      detached: true,
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    runners.add(runner);
    let result: R | undefined;
    let failure: string | undefined;
    let killed = false;
    const timer = setTimeout(() => {
      failure = `the ${options.what} runner did not report within ${Math.round(options.deadlineMs / 1000)} s`;
      killRunner(runner);
    }, options.deadlineMs);
    runner.on('message', (message: M | ChildMessage) => {
      if (message.type === 'group') trackGroup((message as ChildMessage & { type: 'group' }).pgid);
      else if (message.type === 'ungroup') untrackGroup((message as ChildMessage & { type: 'ungroup' }).pgid);
      else if (message.type === 'failed') failure ??= (message as ChildMessage & { type: 'failed' }).message;
      else if (!killed && options.killWhen?.(message as M)) {
        killed = true;
        killRunner(runner);
        result = pick(message as M);
      } else if (!killed) result ??= pick(message as M);
    });
    runner.on('error', (error) => {
      failure ??= `the ${options.what} runner could not be started: ${error.message}`;
    });
    runner.on('exit', (code, signal) => {
      clearTimeout(timer);
      runners.delete(runner);
      // A runner that died on its own may have left its agents: their groups are killed here.
      if (!killed) killGroups();
      if (result !== undefined && failure === undefined && (code === 0 || (killed && signal === 'SIGKILL'))) resolve(result);
      else reject(new BenchError(`${options.what}: ${failure ?? `the runner exited with ${code ?? signal} and no report`}`));
    });
  });
}
