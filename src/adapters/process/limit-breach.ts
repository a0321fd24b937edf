import type { GroupUsage } from './group-usage.js';

/** Limits on one agent's whole process tree (the policy's `limits`). */
export interface ResourceLimits {
  memoryMb?: number;
  cpuSeconds?: number;
}

/** A limit the tree went over, and who noticed: the orchestrator's sampler, or the kernel's own limit. */
export interface LimitBreach {
  limit: 'memory' | 'cpu';
  /** MiB for memory, seconds for CPU: the sampled usage (the kernel may have stopped it before a sample saw it). */
  value: number;
  max: number;
  enforcedBy: 'sampler' | 'os';
}

/** How a process ended, as far as a limit can tell. */
export interface EndedProcess {
  exitCode: number | null;
  signal: string | null;
  stderrTail: string;
}

/** What Node, V8, libc and Rust say when an allocation fails under RLIMIT_DATA. */
const OUT_OF_MEMORY = /out of memory|allocation failed|cannot allocate memory|\bENOMEM\b|bad_alloc|memory allocation of \d+ bytes failed/i;
/** Signals a process dies of when an allocation fails and nobody handles it. */
const ALLOCATION_FAILURE_SIGNALS = new Set(['SIGKILL', 'SIGSEGV', 'SIGABRT', 'SIGBUS']);
/** A process that dies of one of those signals this close to the memory limit is taken to have hit it. */
const NEAR_LIMIT = 0.8;

// The first limit a sampled usage is over, if any.
export function findLimitBreach(usage: GroupUsage, limits: ResourceLimits): LimitBreach | undefined {
  if (limits.memoryMb !== undefined && usage.memoryMb > limits.memoryMb) {
    return { limit: 'memory', value: Math.ceil(usage.memoryMb), max: limits.memoryMb, enforcedBy: 'sampler' };
  }
  if (limits.cpuSeconds !== undefined && usage.cpuSeconds > limits.cpuSeconds) {
    return { limit: 'cpu', value: ceilTenths(usage.cpuSeconds), max: limits.cpuSeconds, enforcedBy: 'sampler' };
  }
  return undefined;
}

// Whether a process the orchestrator did not stop ended because the kernel enforced a limit: SIGXCPU
// (or the SIGKILL of the hard CPU limit) for CPU; an allocation failure (its message on stderr, or a
// crash near the limit) for memory. `peak` is the most the sampler saw.
export function classifyLimitExit(ended: EndedProcess, limits: ResourceLimits, peak: GroupUsage): LimitBreach | undefined {
  const { exitCode, signal, stderrTail } = ended;
  if (exitCode === 0 && signal === null) return undefined;
  const { cpuSeconds, memoryMb } = limits;
  if (cpuSeconds !== undefined && (signal === 'SIGXCPU' || (signal === 'SIGKILL' && peak.cpuSeconds >= cpuSeconds))) {
    return { limit: 'cpu', value: ceilTenths(peak.cpuSeconds), max: cpuSeconds, enforcedBy: 'os' };
  }
  if (memoryMb === undefined) return undefined;
  const crashedNearLimit = signal !== null && ALLOCATION_FAILURE_SIGNALS.has(signal) && peak.memoryMb >= memoryMb * NEAR_LIMIT;
  if (!crashedNearLimit && !OUT_OF_MEMORY.test(stderrTail)) return undefined;
  return { limit: 'memory', value: Math.ceil(peak.memoryMb), max: memoryMb, enforcedBy: 'os' };
}

// Rounded up, so a usage just over its limit never reads as equal to it.
function ceilTenths(value: number): number {
  return Math.ceil(value * 10) / 10;
}
