import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  spawnAgentProcess,
  type AgentProcessExit,
  type AgentProcessOptions,
} from '../../../src/adapters/process/agent-process.js';
import type { OversizedLine } from '../../../src/adapters/process/line-framer.js';
import { readProcessStat } from '../../../src/adapters/process/process-groups.js';
import { expectNoLeftovers, isProcessLive, waitUntil, writeScripts } from '../../support/processes.js';

const keepAlive = 'setInterval(() => {}, 1000);';
const dir = writeScripts({
  'lines.mjs': `for (let i = 0; i < 10000; i++) console.log(JSON.stringify({ i }));
process.exitCode = 3;`,
  'chunks.mjs': `const pause = () => new Promise((r) => setTimeout(r, 30));
const e = Buffer.from('é🎉');
process.stdout.write('{"a":'); await pause();
process.stdout.write('1}\\n{"b"'); await pause();
process.stdout.write(Buffer.concat([Buffer.from(':"'), e.subarray(0, 1)])); await pause();
process.stdout.write(e.subarray(1, 4)); await pause();
process.stdout.write(Buffer.concat([e.subarray(4), Buffer.from('"}\\r\\n')]));`,
  'big-line.mjs': `process.stdout.write('{"type":"a"}\\n');
process.stdout.write(Buffer.alloc(50 * 1024 * 1024, 'x'));
process.stdout.write('\\n{"type":"b"}\\n');`,
  'env.mjs': `console.log(JSON.stringify({ env: process.env, cwd: process.cwd() }));`,
  'stdin.mjs': `let n = 0; process.stdin.on('data', (c) => (n += c.length)).on('end', () => console.log('eof ' + n));`,
  'stderr.mjs': `process.stderr.write('x'.repeat(20000) + '\\nlast words\\n'); process.exitCode = 2;`,
  'ignore-term.mjs': `process.on('SIGTERM', () => {}); console.log('ready'); ${keepAlive}`,
  'term-handler.mjs': `process.on('SIGTERM', () => { console.log('bye'); process.exit(0); }); console.log('ready'); ${keepAlive}`,
  // Starts a grandchild in the same group that ignores SIGTERM and holds our stdout, then either
  // stays (arg "stay") or exits at once, leaving the grandchild behind.
  'parent.mjs': `import { spawn } from 'node:child_process';
const detached = process.argv[3] === 'escape';
const child = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); ${keepAlive}"], { stdio: ['ignore', 'inherit', 'inherit'], detached });
console.log('grandchild ' + child.pid);
if (process.argv[2] === 'stay') { process.on('SIGTERM', () => {}); ${keepAlive} } else process.exit(0);`,
});
let logCount = 0;

interface Run {
  handle: ReturnType<typeof spawnAgentProcess>;
  lines: string[];
  oversized: OversizedLine[];
  exits: AgentProcessExit[];
  logPath: string;
}

function run(script: string, args: string[] = [], overrides: Partial<AgentProcessOptions> = {}): Run {
  const lines: string[] = [];
  const oversized: OversizedLine[] = [];
  const exits: AgentProcessExit[] = [];
  const logPath = join(dir, 'logs', `run-${++logCount}`, 'stderr.log');
  const handle = spawnAgentProcess({
    file: process.execPath,
    args: [join(dir, script), ...args],
    cwd: dir,
    env: { PATH: process.env.PATH ?? '' },
    maxLineBytes: 1024 * 1024,
    stderrLogPath: logPath,
    onLine: (line) => lines.push(line),
    onOversized: (info) => oversized.push(info),
    onExit: (exit) => exits.push(exit),
    ...overrides,
  });
  return { handle, lines, oversized, exits, logPath };
}

const grandchildOf = (r: Run): number => Number(r.lines.find((l) => l.startsWith('grandchild '))?.split(' ')[1]);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spawnAgentProcess', () => {
  it('delivers every line in order before onExit, which fires once with the exit code', async () => {
    let linesAtExit = -1;
    const r = run('lines.mjs');
    r.handle.exited.then(() => (linesAtExit = r.lines.length));
    const exit = await r.handle.exited;
    expect(exit).toMatchObject({ exitCode: 3, signal: null, stderrTail: '' });
    expect(exit.spawnError).toBeUndefined();
    expect(r.lines).toHaveLength(10000);
    expect(r.lines[9999]).toBe('{"i":9999}');
    expect(r.exits).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(linesAtExit).toBe(10000);
    expect(r.handle.startedAt).toBeGreaterThan(Date.now() - 10_000);
    await expectNoLeftovers([r.handle.pgid]);
  });

  it('reassembles lines and multi-byte characters split across pipe writes', async () => {
    const r = run('chunks.mjs');
    await r.handle.exited;
    expect(r.lines).toEqual(['{"a":1}', '{"b":"é🎉"}']);
    await expectNoLeftovers([r.handle.pgid]);
  });

  it('drops a 50 MB line with onOversized, keeps the next lines and never holds the line', async () => {
    const memory = (): number => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const base = memory();
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, memory())), 5);
    const r = run('big-line.mjs');
    await r.handle.exited;
    clearInterval(sampler);
    expect(r.lines).toEqual(['{"type":"a"}', '{"type":"b"}']);
    expect(r.oversized).toHaveLength(1);
    expect(r.oversized[0]?.bytes).toBe(50 * 1024 * 1024);
    expect(r.oversized[0]?.preview).toBe('x'.repeat(200));
    // Holding the line whole would need at least its 50 MB at once; garbage pipe chunks measured 1-32 MB.
    expect(peak - base).toBeLessThan(50 * 1024 * 1024);
    await expectNoLeftovers([r.handle.pgid]);
  });

  it('gives the child exactly the environment and cwd it was given', async () => {
    const r = run('env.mjs', [], { env: { PATH: process.env.PATH ?? '', ONLY_THIS: 'yes' } });
    await r.handle.exited;
    const seen = JSON.parse(r.lines[0] ?? '{}') as { env: Record<string, string>; cwd: string };
    expect(Object.keys(seen.env).sort()).toEqual(['ONLY_THIS', 'PATH']);
    expect(seen.cwd).toBe(dir);
    await expectNoLeftovers([r.handle.pgid]);
  });

  it('gives the child an stdin at EOF, so a CLI that reads it does not block', async () => {
    const r = run('stdin.mjs');
    await r.handle.exited;
    expect(r.lines).toEqual(['eof 0']);
    await expectNoLeftovers([r.handle.pgid]);
  });

  it('reports a missing binary as spawnError ENOENT without throwing', async () => {
    const r = run('lines.mjs', [], { file: join(dir, 'no-such-binary') });
    expect(r.handle.pid).toBeUndefined();
    expect(() => {
      r.handle.pause();
      r.handle.resume();
      r.handle.kill();
    }).not.toThrow();
    await r.handle.stop(100);
    const exit = await r.handle.exited;
    expect(exit).toMatchObject({ exitCode: null, signal: null, spawnError: { code: 'ENOENT' } });
    expect(r.exits).toHaveLength(1);
  });

  it('reports a file without execute permission as spawnError EACCES', async () => {
    const file = join(dir, 'not-executable.sh');
    writeFileSync(file, 'echo hi\n');
    chmodSync(file, 0o644);
    const exit = await run('lines.mjs', [], { file, args: [] }).handle.exited;
    expect(exit.spawnError?.code).toBe('EACCES');
  });

  it('streams stderr to the log file, creating its directories, and keeps an 8 KB tail', async () => {
    const r = run('stderr.mjs');
    const exit = await r.handle.exited;
    expect(exit.exitCode).toBe(2);
    expect(readFileSync(r.logPath, 'utf8')).toBe('x'.repeat(20000) + '\nlast words\n');
    expect(exit.stderrTail.length).toBeLessThanOrEqual(8192);
    expect(exit.stderrTail.endsWith('\nlast words\n')).toBe(true);
    await expectNoLeftovers([r.handle.pgid]);
  });

  it('pauses and resumes the whole group', async () => {
    const r = run('parent.mjs', ['stay']);
    await waitUntil(() => r.lines.length > 0, 5000, 'the grandchild pid');
    const members = [r.handle.pid ?? 0, grandchildOf(r)];
    const states = (): string[] => members.map((pid) => readProcessStat(pid)?.state ?? '?');
    r.handle.pause();
    await waitUntil(() => states().every((s) => s === 'T'), 2000, 'state T');
    r.handle.resume();
    await waitUntil(() => states().every((s) => s === 'S' || s === 'R'), 2000, 'state S or R');
    r.handle.kill();
    expect((await r.handle.exited).signal).toBe('SIGKILL');
    await expectNoLeftovers([r.handle.pgid]);
  });

  it('escalates to SIGKILL after the grace period when SIGTERM is ignored', async () => {
    const r = run('ignore-term.mjs');
    await waitUntil(() => r.lines.includes('ready'), 5000, 'ready');
    const started = Date.now();
    await r.handle.stop(300);
    const elapsed = Date.now() - started;
    expect((await r.handle.exited).signal).toBe('SIGKILL');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
    await expectNoLeftovers([r.handle.pgid]);
  });

  it('lets a paused group handle SIGTERM when it is stopped', async () => {
    const r = run('term-handler.mjs');
    await waitUntil(() => r.lines.includes('ready'), 5000, 'ready');
    r.handle.pause();
    await waitUntil(() => readProcessStat(r.handle.pid ?? 0)?.state === 'T', 2000, 'state T');
    const started = Date.now();
    await r.handle.stop(5000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await r.handle.exited).toMatchObject({ exitCode: 0, signal: null });
    expect(r.lines).toContain('bye');
    await expectNoLeftovers([r.handle.pgid]);
  });

  it('stops grandchildren that ignore SIGTERM and hold the pipes', async () => {
    const r = run('parent.mjs', ['stay']);
    await waitUntil(() => r.lines.length > 0, 5000, 'the grandchild pid');
    const grandchild = grandchildOf(r);
    expect(isProcessLive(grandchild)).toBe(true);
    await r.handle.stop(300);
    // SIGKILL closes a process's pipes a moment before it turns zombie: wait, bounded.
    await expectNoLeftovers([r.handle.pgid]);
    expect(isProcessLive(grandchild)).toBe(false);
  });

  it('kills what the leader left in its group when it exits on its own', async () => {
    const r = run('parent.mjs', ['leave']);
    const exit = await r.handle.exited;
    expect(exit.exitCode).toBe(0);
    expect(grandchildOf(r)).toBeGreaterThan(1);
    await expectNoLeftovers([r.handle.pgid]);
    expect(isProcessLive(grandchildOf(r))).toBe(false);
  });

  it('does not wait forever for a process outside the group that holds the pipes', async () => {
    const r = run('parent.mjs', ['leave', 'escape']);
    const started = Date.now();
    await r.handle.exited;
    expect(Date.now() - started).toBeLessThan(4000);
    // It escaped our group on purpose (its own session), so the test cleans it up itself.
    const escaped = grandchildOf(r);
    expect(isProcessLive(escaped)).toBe(true);
    process.kill(escaped, 'SIGKILL');
    await expectNoLeftovers([r.handle.pgid, escaped]);
  });
});
