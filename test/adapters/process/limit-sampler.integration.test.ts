import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupUsage } from '../../../src/adapters/process/group-usage.js';
import { readGroupsUsage } from '../../../src/adapters/process/group-usage.js';
import type { LimitBreach } from '../../../src/adapters/process/limit-breach.js';
import { createLimitSampler } from '../../../src/adapters/process/limit-sampler.js';
import { signalGroup } from '../../../src/adapters/process/process-groups.js';
import { expectNoLeftovers, waitUntil } from '../../support/processes.js';

const groups: number[] = [];
afterEach(async () => {
  for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
  await expectNoLeftovers(groups.splice(0));
});

// Starts a group: a Node leader holding `mb` MiB resident, with a child that spins.
function startGroup(mb: number): number {
  const script = `globalThis.held = Buffer.alloc(${mb} * 1024 * 1024, 1);
require('node:child_process').spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { detached: true, stdio: 'ignore' });
  groups.push(child.pid!);
  return child.pid!;
}

describe('readGroupsUsage', () => {
  it("sums the resident memory and CPU time of every member of a group, from /proc", async () => {
    const pgid = startGroup(96);
    let usage: GroupUsage | undefined;
    await waitUntil(
      () => {
        usage = readGroupsUsage(new Set([pgid])).get(pgid);
        return usage !== undefined && usage.members === 2 && usage.memoryMb > 96 && usage.cpuSeconds > 0.3;
      },
      10_000,
      'the group to hold its memory and spin',
      100,
    );
    expect(usage!.memoryMb).toBeLessThan(400);
  });

  it('leaves out groups with no live member', () => {
    expect(readGroupsUsage(new Set([2 ** 22 + 17])).size).toBe(0);
  });
});

describe('createLimitSampler', () => {
  it('reports the first limit a group goes over, once, and keeps the peak it saw', async () => {
    const samples: GroupUsage[] = [
      { memoryMb: 100, cpuSeconds: 1, members: 1 },
      { memoryMb: 300, cpuSeconds: 2, members: 2 },
      { memoryMb: 700, cpuSeconds: 3, members: 2 },
      { memoryMb: 900, cpuSeconds: 4, members: 2 },
    ];
    let reads = 0;
    const sampler = createLimitSampler({ intervalMs: 10, readUsage: () => new Map([[42, samples[Math.min(reads++, samples.length - 1)]!]]) });
    const breaches: LimitBreach[] = [];
    const watch = sampler.watch(42, { memoryMb: 512 }, (breach) => breaches.push(breach));
    await waitUntil(() => breaches.length > 0, 2_000, 'a breach');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(breaches).toEqual([{ limit: 'memory', value: 700, max: 512, enforcedBy: 'sampler' }]);
    expect(watch.peak).toMatchObject({ memoryMb: 700, cpuSeconds: 3 });
    expect(reads).toBe(3);
    sampler.close();
  });

  it('reads /proc once per tick for every watched group, and stops reading when nothing is watched', async () => {
    const asked: number[][] = [];
    const sampler = createLimitSampler({ intervalMs: 10, readUsage: (pgids) => (asked.push([...pgids]), new Map()) });
    const a = sampler.watch(7, { cpuSeconds: 1 }, () => {});
    const b = sampler.watch(8, { cpuSeconds: 1 }, () => {});
    await waitUntil(() => asked.length >= 2, 1_000, 'two ticks');
    expect(asked[0]).toEqual([7, 8]);
    a.stop();
    b.stop();
    const seen = asked.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(asked.length).toBe(seen);
  });
});
