import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { initRepository } from '../../src/adapters/git/index.js';
import { readProcessStat } from '../../src/adapters/process/process-groups.js';
import { writeDemoRepository } from '../../src/cli/demo/demo-repo.js';
import { parseServerMessage, type ServerMessage } from '../../src/protocol/index.js';
import { expectNoLeftovers, waitUntil } from '../support/processes.js';
import { SIM } from '../support/sim-session.js';

const CLI = resolve('dist/cli/main.js');

let dir: string | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
  child = undefined;
});

async function makeTarget(): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'orchestrate-dash-'));
  const target = join(dir, 'repo');
  await writeDemoRepository(target);
  await initRepository(target);
  const scenario = join(dir, 'scenario.json');
  await writeFile(scenario, JSON.stringify({ steps: [{ events: { count: 2000, intervalMs: 10 } }] }));
  const agents = Object.fromEntries(
    ['claude', 'codex', 'gemini'].map((agent) => [agent, { command: [process.execPath, SIM, '--vendor', agent, '--scenario', scenario, '--'] }]),
  );
  await writeFile(join(target, 'orchestrate.config.json'), JSON.stringify({ agents, policy: { sandbox: 'off' } }));
  return target;
}

describe('orchestrate run with its dashboard', () => {
  it('serves the session live over the WebSocket and obeys pause, resume and stop from it', { timeout: 60_000 }, async () => {
    const target = await makeTarget();
    child = spawn(process.execPath, [CLI, 'run', 'count', '--target', target, '--json', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolvePromise) => child!.on('close', resolvePromise));
    await waitUntil(() => /dashboard: (http:\/\/\S+)/.test(stderr), 15_000, 'the dashboard URL');
    const url = new URL(/dashboard: (http:\/\/\S+)/.exec(stderr)![1]!);
    const token = url.searchParams.get('token')!;
    expect(token.length).toBeGreaterThanOrEqual(43);
    // The token is for the person at the terminal: never in the machine-readable output.
    expect(stdout).not.toContain(token);

    const login = await fetch(url, { redirect: 'manual' });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const health = await fetch(new URL('/api/health', url), { headers: { cookie } });
    expect(health.status).toBe(200);
    expect((await fetch(new URL('/api/health', url))).status).toBe(401);

    const socket = new WebSocket(`ws://${url.host}/ws`, { headers: { cookie, origin: url.origin } });
    const messages: ServerMessage[] = [];
    socket.on('message', (data) => messages.push(parseServerMessage(data.toString())!));
    await new Promise((resolvePromise, reject) => socket.once('open', resolvePromise).once('error', reject));
    socket.send(JSON.stringify({ type: 'subscribe', id: 's1', fromSeq: 1 }));
    const entries = () => messages.flatMap((m) => (m.type === 'batch' ? m.items.flatMap((i) => ('entry' in i ? [i.entry] : [])) : []));
    await waitUntil(() => entries().some((e) => e.type === 'agent.message'), 15_000, 'agent output over the socket');
    expect(messages[0]!.type).toBe('hello');
    const seqs = entries().map((e) => e.seq);
    expect(seqs.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);

    const spawned = entries().find((e) => e.type === 'process.spawned') as { pid: number; workerId: string };
    socket.send(JSON.stringify({ type: 'worker.pause', id: 'c1', workerId: spawned.workerId }));
    await waitUntil(() => messages.some((m) => m.type === 'ack' && m.id === 'c1'), 5_000, 'the ack');
    await waitUntil(() => readProcessStat(spawned.pid)?.state === 'T', 5_000, 'the agent to stop');
    await waitUntil(
      () => messages.some((m) => m.type === 'batch' && m.items.some((i) => 'kind' in i && i.kind === 'snapshot' && JSON.stringify(i.value) === '{"live":"paused"}')),
      5_000,
      'the worker machine to say paused',
    );
    socket.send(JSON.stringify({ type: 'worker.resume', id: 'c2', workerId: spawned.workerId }));
    await waitUntil(() => readProcessStat(spawned.pid)?.state !== 'T', 5_000, 'the agent to run again');
    socket.send(JSON.stringify({ type: 'worker.pause', id: 'c3', workerId: 'worker:nope' }));
    await waitUntil(() => messages.some((m) => m.type === 'error' && m.id === 'c3'), 5_000, 'the refusal');
    socket.send(JSON.stringify({ type: 'session.stop', id: 'c4' }));
    expect(await exited).toBe(130);
    socket.close();
    expect(stdout).toMatch(/"type":"control.received","command":\{"type":"worker.control","workerId":"worker:design","command":"worker.pause"\}/);
    const groups = entries().flatMap((e) => (e.type === 'process.spawned' ? [(e as { pgid: number }).pgid] : []));
    await expectNoLeftovers(groups);
  });
});
