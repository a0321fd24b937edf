import { describe, expect, it } from 'vitest';
import { classifyLimitExit, findLimitBreach } from '../../../src/adapters/process/limit-breach.js';

const usage = (memoryMb: number, cpuSeconds: number) => ({ memoryMb, cpuSeconds, members: 1 });
const ended = (exitCode: number | null, signal: string | null, stderrTail = '') => ({ exitCode, signal, stderrTail });
const LIMITS = { memoryMb: 512, cpuSeconds: 60 };

describe('findLimitBreach', () => {
  it.each([
    ['under both limits', usage(511, 59), undefined],
    ['at the memory limit (not over)', usage(512, 1), undefined],
    ['over the memory limit', usage(512.4, 1), { limit: 'memory', value: 513, max: 512, enforcedBy: 'sampler' }],
    ['over the CPU limit', usage(10, 60.01), { limit: 'cpu', value: 60.1, max: 60, enforcedBy: 'sampler' }],
    ['over both: memory first', usage(600, 61), { limit: 'memory', value: 600, max: 512, enforcedBy: 'sampler' }],
  ])('%s', (_name, sampled, expected) => {
    expect(findLimitBreach(sampled, LIMITS)).toEqual(expected);
  });

  it('a limit that is not set is never breached', () => {
    expect(findLimitBreach(usage(100_000, 100_000), {})).toBeUndefined();
  });
});

describe('classifyLimitExit', () => {
  it.each([
    ['a clean exit', ended(0, null), usage(500, 59), undefined],
    ['SIGXCPU: the soft CPU limit', ended(null, 'SIGXCPU'), usage(50, 59.5), { limit: 'cpu', value: 59.5, max: 60, enforcedBy: 'os' }],
    ['SIGKILL past the CPU limit: the hard CPU limit', ended(null, 'SIGKILL'), usage(50, 64), { limit: 'cpu', value: 64, max: 60, enforcedBy: 'os' }],
    ['SIGKILL well under both limits: not a limit', ended(null, 'SIGKILL'), usage(50, 2), undefined],
    ['Node out of memory on stderr, exit 1', ended(1, null, 'RangeError: Array buffer allocation failed'), usage(300, 1), { limit: 'memory', value: 300, max: 512, enforcedBy: 'os' }],
    ['V8 heap out of memory, SIGABRT', ended(null, 'SIGABRT', 'FATAL ERROR: ... JavaScript heap out of memory'), usage(480, 1), { limit: 'memory', value: 480, max: 512, enforcedBy: 'os' }],
    ['ENOMEM from a child', ended(2, null, 'spawn: ENOMEM'), usage(100, 1), { limit: 'memory', value: 100, max: 512, enforcedBy: 'os' }],
    ['a crash near the memory limit with nothing said', ended(null, 'SIGSEGV'), usage(450, 1), { limit: 'memory', value: 450, max: 512, enforcedBy: 'os' }],
    ['a crash far from the memory limit', ended(null, 'SIGSEGV'), usage(100, 1), undefined],
    ['an ordinary failure', ended(1, null, 'Error: not logged in'), usage(100, 1), undefined],
  ])('%s', (_name, exit, peak, expected) => {
    expect(classifyLimitExit(exit, LIMITS, peak)).toEqual(expected);
  });

  it('an out-of-memory text means nothing when no memory limit is set', () => {
    expect(classifyLimitExit(ended(1, null, 'JavaScript heap out of memory'), { cpuSeconds: 60 }, usage(100, 1))).toBeUndefined();
  });
});
