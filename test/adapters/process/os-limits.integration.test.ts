/*
 * The kernel's limits at spawn (reliability-security scenario 22): a Node-based CLI must still boot
 * under them, which rules out RLIMIT_AS, and every process the agent starts inherits them.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPrlimit, wrapWithOsLimits, type Command } from '../../../src/adapters/process/os-limits.js';

const run = promisify(execFile);
const prlimit = findPrlimit();
const where = { cwd: tmpdir(), env: { PATH: process.env.PATH ?? '' } };
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((_request, response) => response.end('pong'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

// Runs a wrapped command to its end, whatever its exit; bounded by a timeout.
async function runCommand(command: Command) {
  try {
    const { stdout, stderr } = await run(command.file, command.args, { cwd: where.cwd, timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const fetchScript = (target: string) => `fetch(${JSON.stringify(target)}).then((r) => r.text()).then((t) => console.log(t))`;

describe.runIf(prlimit)('wrapWithOsLimits (prlimit)', () => {
  it('a Node process boots and fetches over loopback under a 512 MiB memory limit and a CPU limit', async () => {
    const command = wrapWithOsLimits(prlimit!, { file: process.execPath, args: ['-e', fetchScript(url)] }, { memoryMb: 512, cpuSeconds: 30 }, where);
    expect(command.file).toBe(prlimit);
    expect(command.args).toEqual([`--data=${512 * 1024 * 1024}`, '--cpu=30:35', '--', process.execPath, '-e', fetchScript(url)]);
    const result = await runCommand(command);
    expect(result).toMatchObject({ code: 0, stdout: 'pong\n' });
  });

  it('never uses RLIMIT_AS, which breaks the same Node process at boot (the anti-pattern, reproduced)', async () => {
    const command = wrapWithOsLimits(prlimit!, { file: process.execPath, args: ['-e', fetchScript(url)] }, { memoryMb: 2048, cpuSeconds: 30 }, where);
    expect(command.args.some((arg) => arg.startsWith('--as'))).toBe(false);
    const underAs = await runCommand({ file: prlimit!, args: [`--as=${2 * 1024 ** 3}`, '--', process.execPath, '-e', fetchScript(url)] });
    expect(underAs.stdout).not.toContain('pong');
    expect(underAs.stderr).toMatch(/out of memory/i);
  });

  it('the limits are inherited by every process the agent starts', async () => {
    const command = wrapWithOsLimits(prlimit!, { file: '/bin/sh', args: ['-c', 'sh -c "cat /proc/self/limits"'] }, { memoryMb: 256, cpuSeconds: 7 }, where);
    const { stdout } = await runCommand(command);
    expect(stdout).toMatch(/^Max data size\s+268435456\s+268435456\s+bytes/m);
    expect(stdout).toMatch(/^Max cpu time\s+7\s+12\s+seconds/m);
  });

  it('a command that cannot be found is left as it is, so its spawn fails as "not installed"', () => {
    const missing = { file: 'no-such-agent-cli', args: ['-p', 'x'] };
    expect(wrapWithOsLimits(prlimit!, missing, { memoryMb: 256 }, where)).toEqual(missing);
    const missingPath = { file: './bin/no-such-agent', args: [] };
    expect(wrapWithOsLimits(prlimit!, missingPath, { memoryMb: 256 }, where)).toEqual(missingPath);
  });

  it('no limits, no wrapper', () => {
    const command = { file: process.execPath, args: ['-v'] };
    expect(wrapWithOsLimits(prlimit!, command, {}, where)).toEqual(command);
  });
});
