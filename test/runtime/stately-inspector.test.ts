import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createActor, createMachine, fromCallback, type InspectionEvent } from 'xstate';
import { OrchestrateError } from '../../src/runtime/errors.js';
import { checkInspectorUrl, isLoopbackUrl, loadStatelyInspect, prepareStatelyInspector } from '../../src/runtime/stately-inspector.js';
import { waitUntil } from '../support/processes.js';

const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
});

function listenOnLoopback(): Promise<{ server: WebSocketServer; url: string }> {
  return new Promise((resolve, reject) => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    servers.push(server);
    server.once('error', reject);
    server.once('listening', () => resolve({ server, url: `ws://127.0.0.1:${(server.address() as { port: number }).port}` }));
  });
}

function notFound(specifier: string): Error {
  return Object.assign(new Error(`Cannot find package '${specifier}' imported from /somewhere/dist/runtime/stately-inspector.js`), { code: 'ERR_MODULE_NOT_FOUND' });
}

describe('the Stately inspector URL', () => {
  it('takes ws: and wss: URLs only', () => {
    expect(checkInspectorUrl('ws://localhost:8080')).toEqual({ ok: true, url: 'ws://localhost:8080' });
    expect(checkInspectorUrl('wss://inspect.example.org/relay')).toMatchObject({ ok: true });
    expect(checkInspectorUrl('http://localhost:8080')).toMatchObject({ ok: false, reason: expect.stringMatching(/ws:\/\/ or wss:\/\//) });
    expect(checkInspectorUrl('localhost:8080')).toMatchObject({ ok: false });
    expect(checkInspectorUrl('')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a URL/) });
  });

  it('tells loopback from other machines', () => {
    for (const url of ['ws://localhost:8080', 'ws://127.0.0.1:1', 'ws://[::1]:8080/x']) expect(isLoopbackUrl(url)).toBe(true);
    for (const url of ['ws://192.168.1.2:8080', 'wss://example.org', 'ws://localhost.example.org:8080', 'ws://0.0.0.0:8080']) expect(isLoopbackUrl(url)).toBe(false);
  });
});

describe('loading @statelyai/inspect', () => {
  it('is a usage error naming how to install it when the package is missing', async () => {
    const error = await loadStatelyInspect(() => Promise.reject(notFound('@statelyai/inspect'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrchestrateError);
    expect((error as OrchestrateError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(/needs the optional package @statelyai\/inspect, which is not installed: .*`npm install @statelyai\/inspect`/);
  });

  it('is a usage error saying to reinstall it when one of its own dependencies is missing', async () => {
    const error = await loadStatelyInspect(() => Promise.reject(notFound('partysocket'))).catch((e: unknown) => e);
    expect((error as OrchestrateError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(/could not load @statelyai\/inspect \(Cannot find package 'partysocket'.*reinstall it/);
  });

  it('loads the installed package', async () => {
    const module = await loadStatelyInspect();
    expect(typeof module.createWebSocketInspector).toBe('function');
  });
});

describe('prepareStatelyInspector', () => {
  it('warns about the hosted UI and its cost, and that events leave the machine for another host', async () => {
    const warnings: string[] = [];
    // TEST-NET-1: nothing answers there.
    const attach = await prepareStatelyInspector({ url: 'ws://192.0.2.1:8080', warn: (text) => warnings.push(text), probeTimeoutMs: 300 });
    expect(attach).toBeUndefined();
    expect(warnings[0]).toMatch(/hosted page https:\/\/stately\.ai\/inspect: it needs the internet and cannot run offline\. It costs throughput/);
    expect(warnings[1]).toMatch(/192\.0\.2\.1:8080 is not this machine: the session's task, prompts, agent output and states leave this machine, unencrypted/);
    expect(warnings[2]).toMatch(/nothing answers at ws:\/\/192\.0\.2\.1:8080 .*the session runs without it/);
  });

  it('announces the actors that exist before it is attached, leaves other observers alone, and closes its socket', async () => {
    const { server, url } = await listenOnLoopback();
    const received: { type: string; name?: string; sessionId: string; parentId?: string }[] = [];
    let connections = 0;
    server.on('connection', (socket) => {
      connections += 1;
      socket.on('message', (data) => received.push(JSON.parse(data.toString()) as (typeof received)[number]));
    });
    const warnings: string[] = [];
    const attach = await prepareStatelyInspector({ url, warn: (text) => warnings.push(text) });
    expect(attach).toBeDefined();
    expect(warnings).toHaveLength(1);

    const machine = createMachine({
      id: 'parent',
      initial: 'waiting',
      invoke: { id: 'child', src: fromCallback(() => () => {}) },
      states: { waiting: { on: { go: 'gone' } }, gone: { type: 'final' } },
    });
    const ownObserver: InspectionEvent['type'][] = [];
    const actor = createActor(machine, { inspect: (event) => ownObserver.push(event.type) });
    const inspection = attach!(actor);
    actor.start();
    actor.send({ type: 'go' });
    await waitUntil(() => received.some((m) => m.type === '@xstate.snapshot' && JSON.stringify((m as { snapshot?: { value?: unknown } }).snapshot?.value) === '"gone"'), 5_000, 'the last snapshot');
    const actors = received.filter((m) => m.type === '@xstate.actor');
    expect(actors.map((m) => m.name)).toEqual(['parent', 'child']);
    expect(actors[1]!.parentId).toBe(actors[0]!.sessionId);
    // The observer given at creation saw the creations and everything after, as always.
    expect(ownObserver.filter((type) => type === '@xstate.actor')).toHaveLength(2);
    expect(ownObserver).toContain('@xstate.microstep');

    await inspection.close();
    await waitUntil(() => server.clients.size === 0, 5_000, 'the inspector to close its socket');
    // The probe and the inspector itself.
    expect(connections).toBe(2);
  });
});
