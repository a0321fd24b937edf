import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { McpServerConfig } from './mcp-servers.js';
import { runMcpStep, runSaveSecretStep, type McpStepContext } from './mcp-steps.js';
import type { Step } from './scenario.js';
import { stampedText } from './stamp.js';
import type { LineSink } from './sink.js';
import { applyFileChange, resolveInside, runShell } from './tools.js';
import type { FileChange, Totals, VendorWriter } from './writer.js';

const DEFAULT_SHELL_TIMEOUT_MS = 120_000;
const RETRY_INTERVAL_MS = 200;
const CHUNK = 'x'.repeat(64 * 1024);
const ALLOCATE_CHUNK_MB = 32;
const ALLOCATE_PAUSE_MS = 5;

type EventsSpec = Extract<Step, { events: unknown }>['events'];

// Where a run writes and works.
export interface RunIO {
  out: LineSink;
  err: LineSink;
  cwd: string;
  /** The MCP servers the vendor's command line (or settings) names, by name. */
  mcpServers?: ReadonlyMap<string, McpServerConfig>;
}

function forever(): Promise<never> {
  return new Promise<never>(() => {
    setInterval(() => undefined, 2 ** 30);
  });
}

// Executes scenario steps through a vendor writer; resolves with the exit code (or never, for hang/retryForever).
export class Runner {
  private readonly totals: Totals = { input: 0, output: 0, costUsd: 0, toolCalls: 0 };

  constructor(
    private readonly w: VendorWriter,
    private readonly io: RunIO,
  ) {}

  async run(steps: readonly Step[]): Promise<number> {
    const first = steps[0];
    if (!(first !== undefined && 'fail' in first && this.w.failsAtStartup(first.fail.kind))) this.w.begin();
    for (const step of steps) {
      const code = await this.step(step);
      await this.io.out.flush();
      await this.io.err.flush();
      if (code !== undefined) return code;
    }
    this.w.finish(this.totals);
    return 0;
  }

  private async step(step: Step): Promise<number | undefined> {
    const { w, io } = this;
    if ('say' in step) w.say(step.say);
    else if ('answer' in step) w.answer(step.answer);
    else if ('think' in step) w.think(step.think);
    else if ('marker' in step) w.say(`[[orchestrate:${step.marker.kind}]] ${step.marker.text}`);
    else if ('mcp' in step) {
      this.totals.toolCalls++;
      await runMcpStep(step.mcp, this.mcpContext());
    } else if ('saveSecret' in step) runSaveSecretStep(step.saveSecret, this.mcpContext());
    else if ('usage' in step) this.addUsage(step.usage);
    else if ('write' in step) {
      const abs = this.inside(step.write.path);
      this.file({ op: 'write', abs, content: step.write.content, existed: existsSync(abs) });
    } else if ('edit' in step) {
      const { path, find, replace } = step.edit;
      this.file({ op: 'edit', abs: this.inside(path), find, replace });
    } else if ('shell' in step) await this.shell(step.shell.command, step.shell.timeoutMs ?? DEFAULT_SHELL_TIMEOUT_MS);
    else if ('sleep' in step) {
      await io.out.flush();
      await sleep(step.sleep);
    } else if ('events' in step) await this.events(step.events);
    else if ('allocate' in step) await this.allocate(step.allocate.mb, step.allocate.holdMs ?? 0);
    else if ('spin' in step) await this.spin(step.spin.ms);
    else if ('garbage' in step) this.garbage(step.garbage.lines);
    else if ('hugeLine' in step) await this.hugeLine(step.hugeLine.bytes);
    else if ('ignoreSigterm' in step) process.on('SIGTERM', () => undefined);
    else if ('hang' in step) {
      await io.out.flush();
      await forever();
    } else if ('retryForever' in step) await this.retryForever(1);
    else if ('crash' in step) {
      io.err.line('Error: simulated crash (orchestrate sim)');
      return step.crash.code;
    } else if ('exit' in step) return step.exit.code;
    else if ('fail' in step) {
      const outcome = w.fail(step.fail.kind, this.totals, step.fail.path);
      if (outcome.action === 'exit') return outcome.code;
      if (outcome.action === 'retryForever') await this.retryForever(outcome.firstAttempt);
    }
    return undefined;
  }

  private mcpContext(): McpStepContext {
    return { servers: this.io.mcpServers ?? new Map(), inside: (path) => this.inside(path), writer: this.w, out: this.io.out };
  }

  private inside(path: string): string {
    const abs = resolveInside(this.io.cwd, path);
    if (abs === undefined) throw new Error(`path leaves the working directory: ${path}`);
    return abs;
  }

  private addUsage(u: { input: number; output: number; costUsd?: number }): void {
    this.totals.input += u.input;
    this.totals.output += u.output;
    this.totals.costUsd += u.costUsd ?? 0;
  }

  private file(change: FileChange): void {
    this.totals.toolCalls++;
    const id = this.w.fileStart(change);
    this.w.fileEnd(id, change, applyFileChange(change));
  }

  private async shell(command: string, timeoutMs: number): Promise<void> {
    this.totals.toolCalls++;
    const id = this.w.shellStart(command);
    await this.io.out.flush();
    this.w.shellEnd(id, command, await runShell(command, this.io.cwd, timeoutMs));
  }

  private async events(spec: EventsSpec): Promise<void> {
    const { count, intervalMs = 0, perSecond, stamp = false } = spec;
    const { out } = this.io;
    const started = performance.now();
    for (let n = 1; n <= count; n++) {
      // Paced by the clock: message n is due (n - 1) / perSecond s after the first. Every message due
      // is printed at once, so timers coarser than the spacing still keep the rate.
      const wait = perSecond === undefined ? 0 : started + ((n - 1) * 1000) / perSecond - performance.now();
      if (wait > 0) {
        await out.flush();
        await sleep(Math.max(1, wait));
      }
      this.w.say(stamp ? stampedText(n) : `event ${n}`);
      if (intervalMs > 0) {
        await out.flush();
        await sleep(intervalMs);
      } else if (perSecond === undefined) {
        await out.maybeFlush();
      }
    }
  }

  // Fills buffers chunk by chunk, so the memory is resident and grows where a sampler can see it; an
  // allocation the OS refuses throws, and the sim dies of it as a Node CLI would.
  private async allocate(mb: number, holdMs: number): Promise<void> {
    await this.io.out.flush();
    const held: Buffer[] = [];
    for (let left = mb; left > 0; left -= ALLOCATE_CHUNK_MB) {
      held.push(Buffer.alloc(Math.min(left, ALLOCATE_CHUNK_MB) * 1024 * 1024, 1));
      await sleep(ALLOCATE_PAUSE_MS);
    }
    await sleep(holdMs);
    held.length = 0;
  }

  // Burns CPU without yielding, as a tight loop in a tool would.
  private async spin(ms: number): Promise<void> {
    await this.io.out.flush();
    const until = performance.now() + ms;
    while (performance.now() < until) {
      // Busy on purpose.
    }
  }

  private garbage(lines: number): void {
    for (let n = 1; n <= lines; n++) {
      this.io.out.line(n % 2 === 0 ? `{"type":"assistant","message":{"garbage":${n},` : `sim garbage line ${n} <<not json>>`);
    }
  }

  private async hugeLine(bytes: number): Promise<void> {
    const [head, tail] = this.w.hugeLineFrame();
    const frame = Buffer.byteLength(head) + Buffer.byteLength(tail);
    const framed = bytes >= frame;
    let left = framed ? bytes - frame : bytes;
    const { out } = this.io;
    if (framed) await out.raw(head);
    while (left > 0) {
      const n = Math.min(left, CHUNK.length);
      await out.raw(n === CHUNK.length ? CHUNK : CHUNK.slice(0, n));
      left -= n;
    }
    await out.raw(framed ? `${tail}\n` : '\n');
  }

  private async retryForever(first: number): Promise<never> {
    for (let attempt = first; ; attempt++) {
      this.w.retryNotice(attempt);
      await this.io.out.flush();
      await this.io.err.flush();
      await sleep(RETRY_INTERVAL_MS);
    }
  }
}
