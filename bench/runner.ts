// One measurement (a mode and a vendor), in a process of its own so that its CPU time and memory
// are its own: a short warm-up run, then the measured run(s), reported to the coordinator over IPC.
// Started by main.ts with fork(); not meant to be run by hand.
import type { BenchJob, RunnerMessage, RunResult } from './protocol.js';
import type { RunContext } from './run-context.js';
import { collectGarbage, startRunnerProcess } from './runner-process.js';

const runner = startRunnerProcess<BenchJob, RunnerMessage>();
const { job } = runner;

async function main(): Promise<void> {
  const run = job.mode === 'raw' ? (await import('./raw.js')).rawRun : (await import('./pipeline.js')).pipelineRun;
  collectGarbage();
  const baselineRssBytes = process.memoryUsage().rss;
  const results: RunResult[] = [];
  for (let index = 0; index <= job.runs; index++) {
    const ctx: RunContext = { index, track: runner.track, untrack: runner.untrack };
    // Run 0 warms up the JIT, the file cache and the sim's start; it is not reported.
    const sim = index === 0 ? job.warmup : job.measured;
    collectGarbage();
    const result = await run(job, sim, ctx);
    if (result.messages !== sim.count) {
      throw new Error(`run ${index}: ${result.messages} assistant messages arrived, the sim printed ${sim.count}`);
    }
    if (index > 0) results.push(result);
  }
  await runner.send({ type: 'result', runs: results, baselineRssBytes });
}

runner.run(main);
