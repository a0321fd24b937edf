import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { FileChange, FileOutcome, ShellOutcome } from './writer.js';

const OUTPUT_CAP = 1024 * 1024;

// Resolves a scenario path inside cwd, or returns undefined when it would leave it.
export function resolveInside(cwd: string, path: string): string | undefined {
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return abs;
}

// Runs a command with /bin/sh in cwd, capturing (up to 1 MiB of) output, killed after timeoutMs.
export function runShell(command: string, cwd: string, timeoutMs: number): Promise<ShellOutcome> {
  return new Promise((done) => {
    let stdout = '';
    let stderr = '';
    let combined = '';
    let finished = false;
    const child = spawn('/bin/sh', ['-c', command], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const take = (which: 'out' | 'err') => (chunk: Buffer) => {
      if (combined.length >= OUTPUT_CAP) return;
      const text = chunk.toString('utf8');
      combined += text;
      if (which === 'out') stdout += text;
      else stderr += text;
    };
    child.stdout.on('data', take('out'));
    child.stderr.on('data', take('err'));
    const end = (exitCode: number, timedOut: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      done({ stdout, stderr, combined, exitCode, timedOut, timeoutMs });
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      end(124, true);
    }, timeoutMs);
    child.on('error', (e) => {
      stderr += e.message;
      combined += e.message;
      end(127, false);
    });
    child.on('close', (code, signal) => end(code ?? (signal === null ? 1 : 128 + signalNumber(signal)), false));
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  const table: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return table[signal] ?? 1;
}

function readOrNull(abs: string): string | null {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return null;
  }
}

// Really performs a write or edit step on disk and reports what changed.
export function applyFileChange(change: FileChange): FileOutcome {
  const before = readOrNull(change.abs);
  try {
    if (change.op === 'write') {
      mkdirSync(dirname(change.abs), { recursive: true });
      writeFileSync(change.abs, change.content);
      return { ok: true, before, after: change.content };
    }
    if (before === null) return { ok: false, reason: 'missing', message: `File does not exist: ${change.abs}` };
    const at = before.indexOf(change.find);
    if (at < 0) return { ok: false, reason: 'notFound', message: `String to replace not found in file: ${change.find}` };
    const after = before.slice(0, at) + change.replace + before.slice(at + change.find.length);
    writeFileSync(change.abs, after);
    return { ok: true, before, after };
  } catch (e) {
    return { ok: false, reason: 'io', message: e instanceof Error ? e.message : String(e) };
  }
}

// The 1-based line hunk between two texts (common leading and trailing lines trimmed), as Claude reports it.
export function lineHunk(before: string, after: string) {
  const split = (s: string) => (s === '' ? [] : s.replace(/\n$/, '').split('\n'));
  const a = split(before);
  const b = split(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const removed = a.slice(head, a.length - tail);
  const added = b.slice(head, b.length - tail);
  return {
    oldStart: head + 1,
    oldLines: removed.length,
    newStart: head + 1,
    newLines: added.length,
    lines: [...removed.map((l) => `-${l}`), ...added.map((l) => `+${l}`)],
  };
}
