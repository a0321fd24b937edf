import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  isGroupAlive,
  isOriginalGroup,
  readProcessStartTime,
  readProcessStat,
  signalGroup,
} from '../../../src/adapters/process/process-groups.js';
import { expectNoLeftovers, listDescendants, listGroupMembers, waitUntil } from '../../support/processes.js';

const sleeperCode = 'setInterval(() => {}, 1000)';

// Starts `node -e code` in its own group and resolves once it runs.
async function startGroup(code = sleeperCode) {
  const child = spawn(process.execPath, ['-e', code], { detached: true, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const pid = child.pid ?? 0;
  await waitUntil(() => readProcessStat(pid) !== undefined, 2000, 'the process');
  return { pid, exited };
}

describe('process groups', () => {
  it('reads /proc/<pid>/stat even when the command name has spaces and parentheses', async () => {
    const { pid, exited } = await startGroup(`process.title = 'we) ird (x'; ${sleeperCode}`);
    await waitUntil(() => readProcessStat(pid)?.state === 'S', 2000, 'the title to be set');
    expect(readProcessStat(pid)).toMatchObject({ pid, ppid: process.pid, pgid: pid, state: 'S' });
    expect(readProcessStartTime(pid)).toBeGreaterThan(0);
    expect(readProcessStartTime(pid)).toBeGreaterThanOrEqual(readProcessStartTime(process.pid) ?? 0);
    expect(signalGroup(pid, 'SIGKILL')).toBe(true);
    await exited;
    expect(readProcessStat(pid)).toBeUndefined();
    expect(signalGroup(pid, 'SIGKILL')).toBe(false);
    expect(isGroupAlive(pid)).toBe(false);
  });

  it('refuses group ids that would signal our own group or every process', () => {
    for (const bad of [0, 1, -5, 1.5, Number.NaN]) expect(() => signalGroup(bad, 'SIGTERM')).toThrow(RangeError);
  });

  it('counts a group holding only a zombie as gone', async () => {
    // sh backgrounds a new session leader that exits shortly, then becomes `sleep`, which never
    // reaps it: a group whose only member is a zombie, where kill(-pgid, 0) still succeeds. (The
    // short delay keeps sh from reaping it itself before its exec.)
    const lines: string[] = [];
    const script = 'setsid sleep 0.3 & echo $!; exec sleep 10';
    const sh = spawn('sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    sh.stdout.on('data', (chunk: Buffer) => lines.push(chunk.toString().trim()));
    await waitUntil(() => lines.length > 0, 2000, 'the zombie pid');
    const zombie = Number(lines[0]);
    await waitUntil(() => readProcessStat(zombie)?.state === 'Z', 5000, 'the zombie');
    expect(() => process.kill(-zombie, 0)).not.toThrow();
    expect(isGroupAlive(zombie)).toBe(false);
    expect(isGroupAlive(sh.pid ?? 0)).toBe(true);
    signalGroup(sh.pid ?? 0, 'SIGKILL');
    await expectNoLeftovers([sh.pid, zombie]);
  });

  it('tells a recorded group from a later process that reuses its leader pid', async () => {
    const { pid, exited } = await startGroup();
    const start = readProcessStartTime(pid);
    expect(isOriginalGroup(pid, start)).toBe(true);
    expect(isOriginalGroup(pid, (start ?? 0) + 1)).toBe(false);
    expect(isOriginalGroup(pid, undefined)).toBe(true);
    signalGroup(pid, 'SIGKILL');
    await exited;
    // The leader is gone: nothing can have taken its id while members hold it, and none do now.
    expect(isOriginalGroup(pid, start)).toBe(true);
  });

  it('lists descendants and group members from /proc', async () => {
    const code = `require('child_process').spawn(process.execPath, ['-e', '${sleeperCode}'], { stdio: 'ignore' }); ${sleeperCode}`;
    const { pid } = await startGroup(code);
    await waitUntil(() => listDescendants(pid).length === 1, 2000, 'the grandchild');
    const [grandchild] = listDescendants(pid);
    expect(listGroupMembers(pid).sort()).toEqual([pid, grandchild].sort());
    expect(listDescendants(process.pid)).toEqual(expect.arrayContaining([pid, grandchild]));
    signalGroup(pid, 'SIGKILL');
    await expectNoLeftovers([pid]);
  });

  it('expectNoLeftovers kills survivors and names them', async () => {
    const { pid, exited } = await startGroup();
    await expect(expectNoLeftovers([pid], 100)).rejects.toThrow(new RegExp(`${pid}: .*node -e`));
    await exited;
    expect(listGroupMembers(pid)).toEqual([]);
  });
});
