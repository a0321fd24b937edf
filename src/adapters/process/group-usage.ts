import { readFileSync } from 'node:fs';
import { listProcessStats } from './process-groups.js';

/** What a process group uses now, summed over its live members (Linux /proc). */
export interface GroupUsage {
  /** Resident memory of every member, in MiB. Shared pages count once per process that maps them. */
  memoryMb: number;
  /** CPU time of every member and of the children they reaped, in seconds. */
  cpuSeconds: number;
  members: number;
}

/** USER_HZ: /proc reports CPU time in these ticks, 100 per second on every architecture Node supports. */
const TICKS_PER_SECOND = 100;
const VM_RSS = /^VmRSS:\s+(\d+) kB$/m;

// Reads the usage of several process groups in one pass over /proc; a group with no live member is absent.
export function readGroupsUsage(pgids: ReadonlySet<number>): Map<number, GroupUsage> {
  const usage = new Map<number, GroupUsage>();
  for (const stat of listProcessStats()) {
    if (!pgids.has(stat.pgid) || stat.state === 'Z' || stat.state === 'X') continue;
    const sum = usage.get(stat.pgid) ?? { memoryMb: 0, cpuSeconds: 0, members: 0 };
    sum.memoryMb += readResidentKb(stat.pid) / 1024;
    sum.cpuSeconds += stat.cpuTicks / TICKS_PER_SECOND;
    sum.members += 1;
    usage.set(stat.pgid, sum);
  }
  return usage;
}

// Resident memory of one process in KiB; 0 when it is gone (or a kernel thread).
function readResidentKb(pid: number): number {
  try {
    return Number(VM_RSS.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
