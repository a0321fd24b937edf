import { readGroupsUsage, type GroupUsage } from './group-usage.js';
import { findLimitBreach, type LimitBreach, type ResourceLimits } from './limit-breach.js';

/** One process group under watch. */
export interface GroupWatch {
  /** The most memory and CPU the group was seen to use so far. */
  readonly peak: GroupUsage;
  stop(): void;
}

/** Samples the usage of every watched group together, and reports the first limit each goes over. */
export interface LimitSampler {
  watch(pgid: number, limits: ResourceLimits, onBreach: (breach: LimitBreach) => void): GroupWatch;
  /** Stops sampling; watches end with it. */
  close(): void;
}

export interface LimitSamplerOptions {
  /** How often /proc is read; 500 ms by default. */
  intervalMs?: number;
  /** Where usage comes from (tests replace it). */
  readUsage?: (pgids: ReadonlySet<number>) => Map<number, GroupUsage>;
}

interface Watched {
  limits: ResourceLimits;
  peak: GroupUsage;
  onBreach(breach: LimitBreach): void;
}

const DEFAULT_INTERVAL_MS = 500;

// One sampler for a session: a single pass over /proc per tick serves every agent's group, and the
// timer runs only while something is watched. A breach is reported once, then the watch ends.
export function createLimitSampler(options: LimitSamplerOptions = {}): LimitSampler {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const readUsage = options.readUsage ?? readGroupsUsage;
  const watched = new Map<number, Watched>();
  let timer: NodeJS.Timeout | undefined;

  const unwatch = (pgid: number) => {
    watched.delete(pgid);
    if (watched.size > 0) return;
    clearInterval(timer);
    timer = undefined;
  };
  const sample = () => {
    const usage = readUsage(new Set(watched.keys()));
    for (const [pgid, watch] of watched) {
      const now = usage.get(pgid);
      if (!now) continue;
      watch.peak = { memoryMb: Math.max(watch.peak.memoryMb, now.memoryMb), cpuSeconds: Math.max(watch.peak.cpuSeconds, now.cpuSeconds), members: now.members };
      const breach = findLimitBreach(now, watch.limits);
      if (!breach) continue;
      unwatch(pgid);
      watch.onBreach(breach);
    }
  };

  return {
    watch(pgid, limits, onBreach) {
      const entry: Watched = { limits, onBreach, peak: { memoryMb: 0, cpuSeconds: 0, members: 0 } };
      watched.set(pgid, entry);
      if (!timer) {
        timer = setInterval(sample, intervalMs);
        timer.unref();
      }
      return {
        get peak() {
          return entry.peak;
        },
        stop: () => {
          if (watched.get(pgid) === entry) unwatch(pgid);
        },
      };
    },
    close() {
      watched.clear();
      clearInterval(timer);
      timer = undefined;
    },
  };
}
