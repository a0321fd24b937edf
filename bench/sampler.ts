import { readFileSync } from 'node:fs';

/** Peak RSS and V8 heapUsed, sampled on a timer while a run is in progress. */
export interface MemorySampler {
  stop(): { peakRssBytes: number; peakHeapBytes: number };
}

const SAMPLE_MS = 20;

// Samples process.memoryUsage() every 20 ms (the timer is unref'd: it never keeps the process alive).
export function startMemorySampler(): MemorySampler {
  let peakRssBytes = 0;
  let peakHeapBytes = 0;
  const sample = (): void => {
    const { rss, heapUsed } = process.memoryUsage();
    if (rss > peakRssBytes) peakRssBytes = rss;
    if (heapUsed > peakHeapBytes) peakHeapBytes = heapUsed;
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakRssBytes, peakHeapBytes };
    },
  };
}

// CPU time (µs) of this process's children that have exited and been reaped: fields 16 and 17
// (cutime, cstime) of /proc/self/stat. Undefined where there is no /proc.
export function reapedChildrenCpuUs(clockTicksPerSecond: number): number | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return undefined;
  }
  // Field 2 (the command name) may contain spaces: split after its last ')'. fields[0] is field 3.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[13]) + Number(fields[14]);
  return Number.isFinite(ticks) ? (ticks * 1e6) / clockTicksPerSecond : undefined;
}
