// The watchdog runs as a separate node process, so it needs the compiled watchdog-main.js: these
// tests use dist/ and must run after `npx tsc -p tsconfig.build.json` (`npm test` builds first).
// At runtime startWatchdog() finds dist/adapters/process/watchdog-main.js next to watchdog.js.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnAgentProcess, type AgentProcessHandle } from '../../../src/adapters/process/agent-process.js';
import { readProcessStartTime } from '../../../src/adapters/process/process-groups.js';
import { startWatchdog } from '../../../src/adapters/process/watchdog.js';
import { expectNoLeftovers, isProcessLive, waitUntil, writeScripts } from '../../support/processes.js';

const built = (name: string): string => fileURLToPath(new URL(`../../../dist/adapters/process/${name}`, import.meta.url));
const scriptPath = built('watchdog-main.js');
const keepAlive = 'setInterval(() => {}, 1000);';
const dir = writeScripts({
  // A sleeper that ignores SIGTERM and has a grandchild in its group, so only SIGKILL ends it all.
  'sleeper.mjs': `import { spawn } from 'node:child_process';
process.on('SIGTERM', () => {});
spawn(process.execPath, ['-e', '${keepAlive}'], { stdio: 'ignore' });
console.log('ready'); ${keepAlive}`,
  // The orchestrator stand-in: starts a watchdog and a sleeper, registers it, reports, then idles
  // (argv[4] "idle") or returns at once (anything else) to show the watchdog does not hold it.
  'owner.mjs': `const [watchdogUrl, agentUrl, scriptPath, sleeper, mode] = process.argv.slice(2);
const { startWatchdog } = await import(watchdogUrl);
const { spawnAgentProcess } = await import(agentUrl);
const watchdog = await startWatchdog({ scriptPath, graceMs: 1000 });
if (mode === 'idle') {
  const agent = spawnAgentProcess({ file: process.execPath, args: [sleeper], cwd: process.cwd(), env: { PATH: process.env.PATH },
    maxLineBytes: 4096, stderrLogPath: sleeper + '.log', onLine: () => {}, onOversized: () => {}, onExit: () => {} });
  watchdog.add(agent.pgid);
  setTimeout(() => console.log(JSON.stringify({ pgid: agent.pgid, watchdog: watchdog.pid })), 200);
  ${keepAlive}
} else console.log(JSON.stringify({ watchdog: watchdog.pid }));`,
});

function startSleeper(): { handle: AgentProcessHandle; lines: string[] } {
  const lines: string[] = [];
  const handle = spawnAgentProcess({
    file: process.execPath,
    args: [join(dir, 'sleeper.mjs')],
    cwd: dir,
    env: { PATH: process.env.PATH ?? '' },
    maxLineBytes: 4096,
    stderrLogPath: join(dir, 'sleeper.log'),
    onLine: (line) => lines.push(line),
    onOversized: () => {},
    onExit: () => {},
  });
  return { handle, lines };
}

function runOwner(mode: 'idle' | 'return'): { handle: AgentProcessHandle; lines: string[] } {
  const lines: string[] = [];
  const args = [built('watchdog.js'), built('agent-process.js')].map((p) => pathToFileURL(p).href);
  const handle = spawnAgentProcess({
    file: process.execPath,
    args: [join(dir, 'owner.mjs'), ...args, scriptPath, join(dir, 'sleeper.mjs'), mode],
    cwd: dir,
    env: { PATH: process.env.PATH ?? '' },
    maxLineBytes: 4096,
    stderrLogPath: join(dir, 'owner.log'),
    onLine: (line) => lines.push(line),
    onOversized: () => {},
    onExit: () => {},
  });
  return { handle, lines };
}

beforeAll(() => {
  if (!existsSync(scriptPath)) throw new Error(`${scriptPath} is missing: run npx tsc -p tsconfig.build.json first`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('startWatchdog', () => {
  it('kills the registered groups when its owner is SIGKILLed', async () => {
    const owner = runOwner('idle');
    await waitUntil(() => owner.lines.length > 0, 10_000, 'the owner report');
    const { pgid, watchdog } = JSON.parse(owner.lines[0] ?? '{}') as { pgid: number; watchdog: number };
    expect(isProcessLive(pgid)).toBe(true);
    process.kill(owner.handle.pid ?? 0, 'SIGKILL');
    // 1 s of grace for the SIGTERM the sleeper ignores, then SIGKILL.
    await expectNoLeftovers([pgid, owner.handle.pgid]);
    await waitUntil(() => !isProcessLive(watchdog), 2000, 'the watchdog to exit');
  });

  it('does not keep its owner alive', async () => {
    const owner = runOwner('return');
    const started = Date.now();
    const exit = await owner.handle.exited;
    expect(exit.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    const { watchdog } = JSON.parse(owner.lines[0] ?? '{}') as { watchdog: number };
    await waitUntil(() => !isProcessLive(watchdog), 2000, 'the watchdog to exit');
  });

  it('kills the groups still registered on close() by default', async () => {
    const watchdog = await startWatchdog({ scriptPath, graceMs: 300 });
    const sleeper = startSleeper();
    watchdog.add(sleeper.handle.pgid ?? 0);
    await waitUntil(() => sleeper.lines.includes('ready'), 5000, 'ready');
    await watchdog.close();
    expect((await sleeper.handle.exited).signal).toBe('SIGKILL');
    expect(isProcessLive(watchdog.pid)).toBe(false);
    await expectNoLeftovers([sleeper.handle.pgid]);
  });

  it('leaves removed groups, and all groups on close({ killRemaining: false })', async () => {
    const kept = startSleeper();
    const removed = startSleeper();
    const watchdog = await startWatchdog({ scriptPath, graceMs: 300 });
    watchdog.add(kept.handle.pgid ?? 0);
    watchdog.add(removed.handle.pgid ?? 0);
    watchdog.remove(removed.handle.pgid ?? 0);
    await watchdog.close({ killRemaining: false });
    expect(isProcessLive(watchdog.pid)).toBe(false);
    expect(isProcessLive(kept.handle.pid ?? 0)).toBe(true);
    expect(isProcessLive(removed.handle.pid ?? 0)).toBe(true);
    await Promise.all([kept.handle.stop(200), removed.handle.stop(200)]);
    await expectNoLeftovers([kept.handle.pgid, removed.handle.pgid]);
  });

  it('survives SIGINT and SIGHUP and still cleans up afterwards', async () => {
    const watchdog = await startWatchdog({ scriptPath, graceMs: 300 });
    const sleeper = startSleeper();
    watchdog.add(sleeper.handle.pgid ?? 0);
    process.kill(watchdog.pid, 'SIGINT');
    process.kill(watchdog.pid, 'SIGHUP');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(isProcessLive(watchdog.pid)).toBe(true);
    await watchdog.close();
    await expectNoLeftovers([sleeper.handle.pgid]);
  });

  it('skips a recorded group whose leader pid now belongs to another process', async () => {
    const sleeper = startSleeper();
    const pgid = sleeper.handle.pgid ?? 0;
    const child = spawn(process.execPath, [scriptPath, '300'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin.end(`add ${pgid} ${(readProcessStartTime(pgid) ?? 0) + 1}\n`);
    await exited;
    expect(isProcessLive(sleeper.handle.pid ?? 0)).toBe(true);
    await sleeper.handle.stop(200);
    await expectNoLeftovers([pgid]);
  });

  it('rejects when the watchdog script cannot run', async () => {
    await expect(startWatchdog({ scriptPath: join(dir, 'missing.js') })).rejects.toThrow(/watchdog did not start/);
  });
});
