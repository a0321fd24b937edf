import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The built sim entry point (build with `npx tsc -p tsconfig.build.json` first).
export const SIM_MAIN = fileURLToPath(new URL('../../../dist/adapters/sim/main.js', import.meta.url));

// Fails fast with a clear message when the sim has not been built.
export function requireBuilt(): void {
  if (!existsSync(SIM_MAIN)) throw new Error(`${SIM_MAIN} is missing: run npx tsc -p tsconfig.build.json first`);
}

const live = new Set<ChildProcess>();
const dirs: string[] = [];

// SIGKILLs every sim still running and removes temporary directories; call from afterEach.
export function cleanup(): void {
  for (const child of live) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  live.clear();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

// A fresh temporary working directory, removed by cleanup().
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sim-test-'));
  dirs.push(dir);
  return dir;
}

// A running sim with its output collected line by line.
export interface SimProcess {
  child: ChildProcess;
  pid: number;
  stderr(): string;
  /** Complete stdout lines so far (when `keepLines`), and every line's byte length. */
  lines: string[];
  lineBytes: number[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForLine(predicate: (line: string) => boolean, timeoutMs: number): Promise<string>;
}

// Options for one sim launch.
export interface StartOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Keep line texts (default true); false keeps only their lengths, for huge outputs. */
  keepLines?: boolean;
}

// Spawns the sim with a scenario object (written to a temp file) and the vendor's own args.
export function startSim(vendor: string, scenario: unknown, args: readonly string[], opts: StartOptions = {}): SimProcess {
  const dir = tempDir();
  const file = join(dir, 'scenario.json');
  writeFileSync(file, typeof scenario === 'string' ? scenario : JSON.stringify(scenario));
  const cwd = opts.cwd ?? tempDir();
  const child = spawn(process.execPath, [SIM_MAIN, '--vendor', vendor, '--scenario', file, '--', ...args], {
    cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const keep = opts.keepLines ?? true;
  const lines: string[] = [];
  const lineBytes: number[] = [];
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      lineBytes.push(partialBytes + piece.length);
      if (keep) lines.push(Buffer.concat([...partial, piece]).toString('utf8'));
      partial = [];
      partialBytes = 0;
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    partialBytes += rest.length;
    if (keep && rest.length > 0) partial.push(rest);
    for (const w of waiters.splice(0)) w();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const waitForLine = (predicate: (line: string) => boolean, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching line within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        const hit = lines.find(predicate);
        if (hit !== undefined) {
          clearTimeout(timer);
          resolve(hit);
        } else waiters.push(check);
      };
      check();
    });
  return { child, pid: child.pid ?? -1, stderr: () => err, lines, lineBytes, exited, waitForLine };
}

// The result of a sim run that ended by itself.
export interface SimResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
  stderr: string;
}

// Parses every line as JSON (throws on the first line that is not).
export function parseAll(lines: readonly string[]): Array<Record<string, unknown>> {
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

// Runs the sim to completion, killing it and failing when it takes longer than timeoutMs.
export async function runSim(
  vendor: string, scenario: unknown, args: readonly string[], opts: StartOptions & { timeoutMs?: number } = {},
): Promise<SimResult> {
  const sim = startSim(vendor, scenario, args, opts);
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      process.kill(sim.pid, 'SIGKILL');
      reject(new Error(`sim did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const { code, signal } = await Promise.race([sim.exited, timeout]);
    return { code, signal, lines: sim.lines, stderr: sim.stderr() };
  } finally {
    clearTimeout(timer);
  }
}

// Resolves after ms milliseconds.
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// The invocation the orchestrator uses for each vendor, with the prompt in place.
export function vendorArgs(vendor: string, prompt: string, extra: readonly string[] = []): string[] {
  if (vendor === 'claude') {
    return ['-p', prompt, '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits', ...extra];
  }
  if (vendor === 'codex') {
    return ['exec', '--json', '--sandbox', 'workspace-write', '-c', 'approval_policy="never"', ...extra, prompt];
  }
  return ['-p', prompt, '--output-format', 'stream-json', '--approval-mode', 'yolo', ...extra];
}
