import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** The fields of `/proc/<pid>/stat` this layer uses (Linux only). */
export interface ProcessStat {
  pid: number;
  /** R, S, D, T (stopped), Z (zombie), … */
  state: string;
  ppid: number;
  pgid: number;
  /** Clock ticks since boot (field 22); with the pid it identifies a process even after pid reuse. */
  startTime: number;
  /** CPU time in clock ticks: its own (user + system) and that of the children it has reaped (fields 14–17). */
  cpuTicks: number;
}

// Reads /proc/<pid>/stat; undefined when the process is gone or there is no /proc.
export function readProcessStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Field 2 (the command name) may contain spaces and parentheses: split after its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3, so field n is fields[n - 3].
  return {
    pid,
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    startTime: Number(fields[19]),
    cpuTicks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]),
  };
}

// Returns a process's start time in clock ticks since boot, to tell it apart from a later one with the same pid.
export function readProcessStartTime(pid: number): number | undefined {
  return readProcessStat(pid)?.startTime;
}

// Lists every process visible in /proc (empty without /proc).
export function listProcessStats(): ProcessStat[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const stats: ProcessStat[] = [];
  for (const name of names) {
    if (name.charCodeAt(0) < 0x31 || name.charCodeAt(0) > 0x39) continue;
    const stat = readProcessStat(Number(name));
    if (stat) stats.push(stat);
  }
  return stats;
}

// Sends a signal to every process of a group. False when the group is gone (ESRCH) or not ours (EPERM).
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  assertGroupId(pgid);
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH' || code === 'EPERM') return false;
    throw error;
  }
}

// True while the group has a member that is not a zombie. Killed processes stay zombies until
// their parent reaps them, and kill(-pgid, 0) still succeeds on those, so /proc decides on Linux.
export function isGroupAlive(pgid: number): boolean {
  assertGroupId(pgid);
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    if (code !== 'EPERM') throw error;
  }
  if (!existsSync('/proc/self/stat')) return true;
  return listProcessStats().some((p) => p.pgid === pgid && p.state !== 'Z' && p.state !== 'X');
}

// False when the group's leader pid now belongs to another process than the one recorded
// (pid reuse). A group whose leader is gone still holds its id, so it cannot have been reused.
export function isOriginalGroup(pgid: number, leaderStartTime: number | undefined): boolean {
  if (leaderStartTime === undefined || leaderStartTime === 0) return true;
  const leader = readProcessStat(pgid);
  return leader === undefined || leader.startTime === leaderStartTime;
}

// Guards against kill(0) and kill(-1), which would signal our own group or every process we may.
function assertGroupId(pgid: number): void {
  if (!Number.isInteger(pgid) || pgid <= 1) throw new RangeError(`not a process group id: ${pgid}`);
}
