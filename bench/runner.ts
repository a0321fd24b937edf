// One measurement (a mode and a vendor), in a process of its own so that its CPU time and memory
// are its own: a short warm-up run, then the measured run(s), reported to the coordinator over IPC.
// Started by main.ts with fork(); not meant to be run by hand.
import { rmSync } from 'node:fs';
import { signalGroup } from '../src/adapters/process/process-groups.js';
import type { BenchJob, RunnerMessage, RunResult } from './protocol.js';
import type { RunContext } from './run-context.js';

const job = JSON.parse(process.argv[2] ?? '') as BenchJob;
const live = new Set<number>();

function send(message: RunnerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

// Kills every sim group still alive; they lead their own groups, so our exit would not end them.
function killGroups(): void {
  for (const pgid of live) signalGroup(pgid, 'SIGKILL');
  live.clear();
}

function abort(code: number): never {
  killGroups();
  process.exit(code);
}

// The coordinator went away: leave nothing behind, its temporary directory included.
process.on('disconnect', () => {
  killGroups();
  rmSync(job.scratchDir, { recursive: true, force: true });
  process.exit(1);
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => abort(1));

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function main(): Promise<void> {
  const run = job.mode === 'raw' ? (await import('./raw.js')).rawRun : (await import('./pipeline.js')).pipelineRun;
  collectGarbage();
  const baselineRssBytes = process.memoryUsage().rss;
  const results: RunResult[] = [];
  for (let index = 0; index <= job.runs; index++) {
    const ctx: RunContext = {
      index,
      track: (pgid) => {
        live.add(pgid);
        void send({ type: 'group', pgid });
      },
      untrack: (pgid) => {
        live.delete(pgid);
        void send({ type: 'ungroup', pgid });
      },
    };
    // Run 0 warms up the JIT, the file cache and the sim's start; it is not reported.
    const sim = index === 0 ? job.warmup : job.measured;
    collectGarbage();
    const result = await run(job, sim, ctx);
    if (result.messages !== sim.count) {
      throw new Error(`run ${index}: ${result.messages} assistant messages arrived, the sim printed ${sim.count}`);
    }
    if (index > 0) results.push(result);
  }
  await send({ type: 'result', runs: results, baselineRssBytes });
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    killGroups();
    await send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
