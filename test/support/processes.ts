import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listProcessStats, readProcessStat, type ProcessStat } from '../../src/adapters/process/process-groups.js';

const LEFTOVER_LIMIT_MS = 3_000;
const POLL_MS = 50;

// Lists the live (non-zombie) descendants of a process, children first, from /proc.
export function listDescendants(pid: number): number[] {
  const stats = listProcessStats().filter(isLive);
  const found: number[] = [];
  let parents = [pid];
  while (parents.length > 0) {
    const children = stats.filter((s) => parents.includes(s.ppid)).map((s) => s.pid);
    found.push(...children);
    parents = children;
  }
  return found;
}

// Lists the live (non-zombie) members of a process group. Zombies count as gone: they only wait
// for a parent to reap them and hold no resources but their pid.
export function listGroupMembers(pgid: number): number[] {
  return listProcessStats()
    .filter((s) => s.pgid === pgid && isLive(s))
    .map((s) => s.pid);
}

// Waits (at most 3 s by default) until none of the groups has a live member. Otherwise kills
// the survivors, so a failing test leaves nothing behind, and throws with their command lines.
export async function expectNoLeftovers(pgids: readonly (number | undefined)[], timeoutMs = LEFTOVER_LIMIT_MS): Promise<void> {
  const groups = pgids.filter((pgid): pgid is number => pgid !== undefined);
  const deadline = Date.now() + timeoutMs;
  let survivors = groups.flatMap(listGroupMembers);
  while (survivors.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    survivors = groups.flatMap(listGroupMembers);
  }
  if (survivors.length === 0) return;
  const described = survivors.map((pid) => `${pid}: ${readCmdline(pid)}`);
  for (const pid of survivors) killQuietly(pid);
  throw new Error(`processes left behind after ${timeoutMs} ms:\n${described.join('\n')}`);
}

// True while a process exists and is not a zombie.
export function isProcessLive(pid: number): boolean {
  const stat = readProcessStat(pid);
  return stat !== undefined && isLive(stat);
}

// Writes small fixture scripts (name → source) into a fresh temporary directory and returns it.
export function writeScripts(scripts: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'orchestrate-process-'));
  for (const [name, source] of Object.entries(scripts)) writeFileSync(join(dir, name), source);
  return dir;
}

// Resolves once the condition holds, polling every `pollMs` (10 ms); rejects after timeoutMs.
export async function waitUntil(condition: () => boolean, timeoutMs: number, what = 'condition', pollMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function isLive(stat: ProcessStat): boolean {
  return stat.state !== 'Z' && stat.state !== 'X';
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '(gone)';
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
