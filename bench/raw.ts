import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnAgentProcess } from '../src/adapters/process/agent-process.js';
import type { AgentName } from '../src/domain/index.js';
import type { BenchJob, RunResult, SimRun } from './protocol.js';
import { withTimeout, type RunContext } from './run-context.js';
import { reapedChildrenCpuUs, startMemorySampler } from './sampler.js';

type Parsed = { type?: unknown; role?: unknown; item?: { type?: unknown } } | null;

// Recognises one vendor's assistant-message line, only to check that every message arrived.
const IS_MESSAGE: Record<AgentName, (value: Parsed) => boolean> = {
  claude: (v) => v?.type === 'assistant',
  codex: (v) => v?.type === 'item.completed' && v.item?.type === 'agent_message',
  gemini: (v) => v?.type === 'message' && v.role === 'assistant',
};

// The baseline: the same sim child through the same process layer and line framer, then
// JSON.parse of each line and nothing else (no normalizer, no log, no machine).
export async function rawRun(job: BenchJob, sim: SimRun, ctx: RunContext): Promise<RunResult> {
  const isMessage = IS_MESSAGE[job.vendor];
  let lines = 0;
  let messages = 0;
  let invalid = 0;
  let firstAt = 0;
  let endAt = 0;
  const simCpu0 = reapedChildrenCpuUs(job.clockTicks);
  const memory = startMemorySampler();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const handle = spawnAgentProcess({
    file: sim.command.file,
    args: sim.command.args,
    cwd: sim.command.cwd,
    env: sim.command.env,
    maxLineBytes: job.maxLineBytes,
    stderrLogPath: join(job.workDir, 'logs', `raw-${ctx.index}.stderr.log`),
    onLine(line) {
      if (lines++ === 0) firstAt = performance.now();
      let value: Parsed;
      try {
        value = JSON.parse(line) as Parsed;
      } catch {
        invalid++;
        return;
      }
      if (isMessage(value)) messages++;
    },
    onOversized() {
      invalid++;
    },
    onExit() {
      endAt = performance.now();
    },
  });
  if (handle.pgid !== undefined) ctx.track(handle.pgid);
  const exit = await withTimeout(handle.exited, job.runTimeoutMs, `raw ${job.vendor} run ${ctx.index}`, () =>
    handle.kill(),
  );
  if (handle.pgid !== undefined) ctx.untrack(handle.pgid);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const mem = memory.stop();
  const simCpu1 = reapedChildrenCpuUs(job.clockTicks);

  if (exit.spawnError) throw new Error(`the sim could not be started: ${exit.spawnError.message}`);
  if (exit.exitCode !== 0) {
    throw new Error(`the sim exited with ${exit.exitCode ?? exit.signal}: ${exit.stderrTail.trim().slice(-500)}`);
  }
  if (invalid > 0) throw new Error(`${invalid} sim lines were not JSON or over the line cap`);
  return {
    lines,
    messages,
    streamMs: endAt - firstAt,
    wallMs,
    cpuUs: cpu.user + cpu.system,
    simCpuUs: simCpu0 === undefined || simCpu1 === undefined ? undefined : simCpu1 - simCpu0,
    ...mem,
  };
}
