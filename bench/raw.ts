import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnAgentProcess } from '../src/adapters/process/agent-process.js';
import type { AgentName } from '../src/domain/index.js';
import type { BenchJob, RunResult, SimCommand, SimRun } from './protocol.js';
import { withTimeout, type RunContext } from './run-context.js';
import { reapedChildrenCpuUs, startMemorySampler } from './sampler.js';

export type Parsed = { type?: unknown; role?: unknown; item?: { type?: unknown } } | null;

// Recognises one vendor's assistant-message line, only to check that every message arrived.
export const IS_MESSAGE: Record<AgentName, (value: Parsed) => boolean> = {
  claude: (v) => v?.type === 'assistant',
  codex: (v) => v?.type === 'item.completed' && v.item?.type === 'agent_message',
  gemini: (v) => v?.type === 'message' && v.role === 'assistant',
};

/** How a raw reader runs the sim child. */
export interface RawReadOptions {
  command: SimCommand;
  maxLineBytes: number;
  stderrLogPath: string;
  /** Bound of the run, spawn to exit. */
  timeoutMs: number;
  /** Names the run in errors. */
  what: string;
}

// The raw reader: the sim child through the same process layer and line framer as the pipeline's,
// then JSON.parse of each line, handed to onValue, and nothing else. Resolves once the sim has
// exited 0 with every line JSON, with the time of the process-exit callback; rejects otherwise.
export async function readSimLines(
  options: RawReadOptions,
  ctx: RunContext,
  onValue: (value: Parsed, line: string) => void,
): Promise<{ endAt: number }> {
  let invalid = 0;
  let endAt = 0;
  const handle = spawnAgentProcess({
    file: options.command.file,
    args: options.command.args,
    cwd: options.command.cwd,
    env: options.command.env,
    maxLineBytes: options.maxLineBytes,
    stderrLogPath: options.stderrLogPath,
    onLine(line) {
      let value: Parsed;
      try {
        value = JSON.parse(line) as Parsed;
      } catch {
        invalid++;
        return;
      }
      onValue(value, line);
    },
    onOversized() {
      invalid++;
    },
    onExit() {
      endAt = performance.now();
    },
  });
  if (handle.pgid !== undefined) ctx.track(handle.pgid);
  const exit = await withTimeout(handle.exited, options.timeoutMs, options.what, () => handle.kill());
  if (handle.pgid !== undefined) ctx.untrack(handle.pgid);
  if (exit.spawnError) throw new Error(`the sim could not be started: ${exit.spawnError.message}`);
  if (exit.exitCode !== 0) {
    throw new Error(`the sim exited with ${exit.exitCode ?? exit.signal}: ${exit.stderrTail.trim().slice(-500)}`);
  }
  if (invalid > 0) throw new Error(`${invalid} sim lines were not JSON or over the line cap`);
  return { endAt };
}

// The baseline of part 1: the raw reader, counting lines and assistant messages (no normalizer, no
// log, no machine).
export async function rawRun(job: BenchJob, sim: SimRun, ctx: RunContext): Promise<RunResult> {
  const isMessage = IS_MESSAGE[job.vendor];
  let lines = 0;
  let messages = 0;
  let firstAt = 0;
  const simCpu0 = reapedChildrenCpuUs(job.clockTicks);
  const memory = startMemorySampler();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { endAt } = await readSimLines(
    {
      command: sim.command,
      maxLineBytes: job.maxLineBytes,
      stderrLogPath: join(job.workDir, 'logs', `raw-${ctx.index}.stderr.log`),
      timeoutMs: job.runTimeoutMs,
      what: `raw ${job.vendor} run ${ctx.index}`,
    },
    ctx,
    (value) => {
      if (lines++ === 0) firstAt = performance.now();
      if (isMessage(value)) messages++;
    },
  );
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const mem = memory.stop();
  const simCpu1 = reapedChildrenCpuUs(job.clockTicks);
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
