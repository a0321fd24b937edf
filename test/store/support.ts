import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogEntry } from '../../src/domain/index.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const made: string[] = [];

// A fresh temporary directory, removed by removeTempDirs.
export function makeTempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orchestrate-store-'));
  made.push(dir);
  return dir;
}

// A database path in a fresh temporary directory (the file does not exist yet).
export function tempDbPath(name = 'state.db'): string {
  return join(makeTempDir(), name);
}

// Writes a child-process script where Node resolves the project's node_modules (under the repo's
// ignored .cache/), so it can import better-sqlite3 like the orchestrator does.
export function writeChildScript(name: string, source: string): string {
  const base = join(REPO_ROOT, '.cache', 'store-tests');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'child-'));
  made.push(dir);
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

// Removes every directory made since the last call.
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

// A stamped message event.
export function message(sessionId: string, seq: number, text = `event ${seq}`): LogEntry {
  return { type: 'agent.message', text, sessionId, workerId: 'w1', seq, ts: 1_700_000_000_000 + seq };
}

// Resolves once `condition` holds, polling every 5 ms; rejects after `timeoutMs`.
export async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A child node process whose stdout lines are collected. */
export interface Child {
  process: ChildProcessWithoutNullStreams;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// Runs `node script ...args`, collecting stdout lines (and stderr, for failure messages).
export function runChild(script: string, args: readonly string[]): Child {
  const child = spawn(process.execPath, [script, ...args], { stdio: 'pipe' });
  const lines: string[] = [];
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      if (stderr) lines.push(`stderr: ${stderr}`);
      resolve({ code, signal });
    }),
  );
  return { process: child, lines, exited };
}
