import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { initRepository } from '../../src/adapters/git/index.js';
import { writeDemoRepository } from '../../src/cli/demo/demo-repo.js';
import { expectNoLeftovers, waitUntil } from '../support/processes.js';
import { SIM } from '../support/sim-session.js';

const CLI = resolve('dist/cli/main.js');
const RUN_LIMIT_MS = 60_000;

/** What @statelyai/inspect 0.7.2 sends per message (dist/index.mjs, convertXStateEvent). */
interface StatelyMessage {
  type: '@xstate.actor' | '@xstate.event' | '@xstate.snapshot';
  sessionId: string;
  rootId?: string;
  parentId?: string;
  name?: string;
  definition?: string;
  snapshot?: { status?: string; value?: unknown };
  event?: { type: string };
  _version: string;
}

/** A WebSocket server on loopback standing in for Stately's relay (`createInspectorServer`). */
interface FakeRelay {
  url: string;
  messages: StatelyMessage[];
  /** Raw frames, to check what never leaves. */
  frames: string[];
  connections: number;
  close(): Promise<void>;
}

function startRelay(options: { host?: string; port?: number; dropOnFirstMessage?: boolean } = {}): Promise<FakeRelay> {
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolvePromise, reject) => {
    const server = new WebSocketServer({ host, port: options.port ?? 0 });
    const sockets = new Set<WebSocket>();
    const relay: FakeRelay = {
      url: '',
      messages: [],
      frames: [],
      connections: 0,
      close: () =>
        new Promise((done) => {
          for (const socket of sockets) socket.terminate();
          server.close(() => done());
        }),
    };
    server.on('connection', (socket) => {
      relay.connections += 1;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('message', (data) => {
        // The relay going away in the middle of a session.
        if (options.dropOnFirstMessage) return socket.terminate();
        relay.frames.push(data.toString());
        relay.messages.push(JSON.parse(data.toString()) as StatelyMessage);
      });
    });
    server.once('error', reject);
    server.once('listening', () => {
      const { port } = server.address() as { port: number };
      relay.url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
      resolvePromise(relay);
    });
  });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const children = new Set<ChildProcess>();
let dir: string | undefined;
const relays: FakeRelay[] = [];
afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  await Promise.all(relays.splice(0).map((relay) => relay.close()));
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

// Runs the built CLI; `onStdout` may act while it runs.
function runCli(args: string[], options: { nodeArgs?: string[]; onStdout?: (text: string, child: ChildProcess) => void } = {}): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`orchestrate ${args.join(' ')} did not finish in time:\n${stdout}\n${stderr}`));
    }, RUN_LIMIT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

// A repository whose three agents are the simulated agent running one scenario.
async function makeTarget(scenario: object = { steps: [{ write: { path: 'x.txt', content: 'x' } }, { say: 'done' }] }): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'orchestrate-stately-'));
  const target = join(dir, 'repo');
  await writeDemoRepository(target);
  await initRepository(target);
  const scenarioFile = join(dir, 'scenario.json');
  await writeFile(scenarioFile, JSON.stringify(scenario));
  const agents = Object.fromEntries(
    ['claude', 'codex', 'gemini'].map((agent) => [agent, { command: [process.execPath, SIM, '--vendor', agent, '--scenario', scenarioFile, '--'] }]),
  );
  await writeFile(join(target, 'orchestrate.config.json'), JSON.stringify({ agents, timeouts: { idleSeconds: 30, stopGraceSeconds: 1 }, policy: { sandbox: 'off' } }));
  return target;
}

function summaryOf(run: Run): { status: string; sessionId: string } {
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { status: string; sessionId: string };
}

// A port nothing listens on: bound, then released.
async function closedPort(): Promise<number> {
  const relay = await startRelay();
  await relay.close();
  return Number(new URL(relay.url).port);
}

// Listens where --inspect-stately would connect by default (ws://localhost:8080, both families);
// undefined when another program holds that port.
async function listenOnDefaultPort(): Promise<FakeRelay[] | undefined> {
  const bound: FakeRelay[] = [];
  for (const host of ['127.0.0.1', '::1']) {
    try {
      bound.push(await startRelay({ host, port: 8080 }));
    } catch (error) {
      const code = (error as { code?: string }).code;
      // A machine without IPv6 loopback has only the first.
      if (host === '::1' && code === 'EADDRNOTAVAIL') continue;
      await Promise.all(bound.map((relay) => relay.close()));
      return undefined;
    }
  }
  relays.push(...bound);
  return bound;
}

describe('orchestrate --inspect-stately', () => {
  it('is offered by every command that runs a session', async () => {
    for (const command of ['run', 'demo', 'resume']) {
      const help = await runCli([command, '--help']);
      expect(help.stdout).toMatch(/--inspect-stately \[url\]/);
    }
    const wrong = await runCli(['run', 'task', '--inspect-stately', 'http://localhost:8080']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/must start with ws:\/\/ or wss:\/\//);
  });

  it("sends the session's and workers' registrations and snapshots to the relay, never the dashboard token", { timeout: RUN_LIMIT_MS }, async () => {
    const relay = await startRelay();
    relays.push(relay);
    const target = await makeTarget();
    const run = await runCli(['run', 'write x', '--target', target, '--json', '--port', '0', '--inspect-stately', relay.url]);
    expect(run.code, run.stderr).toBe(0);
    expect(summaryOf(run).status).toBe('completed');
    expect(run.stderr).toMatch(/hosted page https:\/\/stately\.ai\/inspect: it needs the internet and cannot run offline/);
    expect(run.stderr).toMatch(/costs throughput/);
    expect(run.stderr).not.toMatch(/not this machine/);

    const actors = relay.messages.filter((m) => m.type === '@xstate.actor');
    const session = actors.find((m) => m.name === 'session')!;
    expect(session).toBeDefined();
    expect(session.parentId).toBeUndefined();
    expect(session.rootId).toBe(session.sessionId);
    expect(JSON.parse(session.definition!)).toMatchObject({ id: 'session' });
    const workers = actors.filter((m) => m.name?.startsWith('worker:'));
    expect(workers.map((m) => m.name)).toEqual(['worker:design', 'worker:implement', 'worker:validate']);
    for (const worker of workers) {
      expect(worker.parentId).toBe(session.sessionId);
      expect(worker.rootId).toBe(session.sessionId);
      expect(JSON.parse(worker.definition!)).toMatchObject({ id: 'worker' });
    }
    expect(new Set(relay.messages.map((m) => m._version)).size).toBe(1);

    const values = (sessionId: string) => relay.messages.filter((m) => m.type === '@xstate.snapshot' && m.sessionId === sessionId).map((m) => JSON.stringify(m.snapshot!.value));
    expect(values(session.sessionId)[0]).toBe('"preparing"');
    expect(values(session.sessionId)).toContain('{"active":{"control":"running","flow":"working","staffing":"trio"}}');
    expect(values(session.sessionId).at(-1)).toBe('"completed"');
    for (const worker of workers) {
      expect(values(worker.sessionId)).toContain('{"live":"running"}');
      expect(values(worker.sessionId).at(-1)).toBe('"done"');
    }
    const received = relay.messages.filter((m) => m.type === '@xstate.event' && m.sessionId === workers[0]!.sessionId).map((m) => m.event!.type);
    expect(received).toEqual(expect.arrayContaining(['xstate.init', 'agent.started', 'agent.exited']));

    const token = new URL(/dashboard: (http:\/\/\S+)/.exec(run.stderr)![1]!).searchParams.get('token')!;
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(relay.frames.some((frame) => frame.includes(token))).toBe(false);
  });

  it('connects to nothing without the flag', async () => {
    const defaults = await listenOnDefaultPort();
    // The default address is what a stray connection would reach; the test needs it free, and says so rather than skipping.
    if (!defaults) throw new Error('port 8080 on loopback is taken by another program: this test listens there to see that nothing connects');
    const target = await makeTarget();
    const run = await runCli(['run', 'write x', '--target', target, '--json', '--no-dashboard']);
    expect(run.code, run.stderr).toBe(0);
    expect(defaults.map((relay) => relay.connections)).toEqual(defaults.map(() => 0));
    expect(run.stderr).not.toMatch(/stately/i);
  });

  it('runs the session to its end when nothing answers at the URL', async () => {
    const target = await makeTarget();
    const url = `ws://127.0.0.1:${await closedPort()}`;
    const run = await runCli(['run', 'write x', '--target', target, '--json', '--no-dashboard', '--inspect-stately', url]);
    expect(run.code, run.stderr).toBe(0);
    expect(summaryOf(run).status).toBe('completed');
    expect(run.stderr).toContain(`stately inspector: nothing answers at ${url}`);
  });

  it('runs the session to its end, and exits, when the relay goes away during it', async () => {
    const relay = await startRelay({ dropOnFirstMessage: true });
    relays.push(relay);
    const target = await makeTarget();
    const run = await runCli(['run', 'write x', '--target', target, '--json', '--no-dashboard', '--inspect-stately', relay.url]);
    expect(run.code, run.stderr).toBe(0);
    expect(summaryOf(run).status).toBe('completed');
    expect(relay.connections).toBeGreaterThanOrEqual(2);
  });

  it('exits 2 with how to install @statelyai/inspect when it is not installed, before any session exists', async () => {
    const target = await makeTarget();
    // Resolve the package from a directory that has no node_modules: Node's own "not found".
    const hooks = join(dir!, 'hooks');
    await writeFile(join(dir!, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}.mjs`)});\n`);
    await writeFile(
      `${hooks}.mjs`,
      `export function resolve(specifier, context, next) {\n` +
        `  if (specifier === '@statelyai/inspect') return next(specifier, { ...context, parentURL: import.meta.url });\n` +
        `  return next(specifier, context);\n}\n`,
    );
    const run = await runCli(['run', 'write x', '--target', target, '--no-dashboard', '--inspect-stately'], { nodeArgs: ['--import', join(dir!, 'register.mjs')] });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--inspect-stately needs the optional package @statelyai\/inspect, which is not installed: .*npm install @statelyai\/inspect/);
    expect(await readdir(target)).not.toContain('.orchestrate');
  });

  it('resume forwards the restored workers too', { timeout: RUN_LIMIT_MS }, async () => {
    const target = await makeTarget({ steps: [{ say: 'working' }, { events: { count: 100, intervalMs: 10 } }, { say: 'done' }] });
    const groups: number[] = [];
    let sessionId: string | undefined;
    let killed = false;
    await runCli(['run', 'slow', '--target', target, '--json', '--no-dashboard'], {
      onStdout(text, child) {
        for (const match of text.matchAll(/"type":"process.spawned".*?"pgid":(\d+)/g)) if (!groups.includes(Number(match[1]))) groups.push(Number(match[1]));
        sessionId ??= /"sessionId":"([^"]+)"/.exec(text)?.[1];
        if (!killed && text.includes('"type":"agent.started"')) {
          killed = true;
          child.kill('SIGKILL');
        }
      },
    });
    expect(killed).toBe(true);
    await expectNoLeftovers(groups, 5_000);
    const relay = await startRelay();
    relays.push(relay);
    const run = await runCli(['resume', sessionId!, '--target', target, '--json', '--no-dashboard', '--inspect-stately', relay.url]);
    expect(run.code, run.stderr).toBe(0);
    // The interrupted worker was restored with the session, before the inspector was attached.
    const names = relay.messages.filter((m) => m.type === '@xstate.actor').map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['session', 'worker:design', 'worker:implement', 'worker:validate']));
    await waitUntil(() => relay.messages.some((m) => m.type === '@xstate.snapshot' && JSON.stringify(m.snapshot!.value) === '"completed"'), 1_000, 'the end state');
  });
});
