import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessageOf } from '../../src/protocol/index.js';
import { cleanupAll, connectClient, createFakeSession, fetchRaw, goodHeaders, startServer } from './support.js';

afterEach(cleanupAll);

const errors = (messages: { type: string }[]) => messages.filter((m): m is ServerMessageOf<'error'> => m.type === 'error');

describe('control messages', () => {
  it('acknowledges each command by its id and hands the session the command without it', async () => {
    const session = createFakeSession();
    const test = await startServer(session.source);
    const client = await connectClient(test.port, goodHeaders(test));
    const commands = [
      { type: 'session.pause' },
      { type: 'session.resume' },
      { type: 'worker.stop', workerId: 'worker:design' },
      { type: 'review.request', note: 'look at the tests' },
      { type: 'approval.answer', approvalId: 'a1', approve: false, hash: 'ab'.repeat(32) },
    ];
    commands.forEach((command, index) => client.send({ ...command, id: `c${index}` }));
    for (let index = 0; index < commands.length; index += 1) await client.next('ack', (m) => m.id === `c${index}`);
    expect(session.controls).toEqual(commands);
  });

  it('answers a command the session refuses with its stable code and the message id', async () => {
    const session = createFakeSession({ controlResult: { ok: false, code: 'UNKNOWN_WORKER' } });
    const test = await startServer(session.source);
    const client = await connectClient(test.port, goodHeaders(test));
    client.send({ type: 'worker.pause', id: 'p1', workerId: 'worker:none' });
    expect(await client.next('error')).toEqual({ type: 'error', id: 'p1', code: 'UNKNOWN_WORKER', message: 'no running worker has that id' });
  });

  it('answers bad JSON, binary frames, unknown types and malformed messages with stable codes, and stays open', async () => {
    const session = createFakeSession();
    const test = await startServer(session.source);
    const client = await connectClient(test.port, goodHeaders(test));
    client.send('{broken');
    client.ws.send(Buffer.from('{"type":"session.pause","id":"bin"}'), { binary: true });
    client.send({ type: 'session.explode', id: 'u1' });
    client.send({ type: 'worker.stop', id: 'm1' });
    client.send({ type: 'session.pause', id: 'm2', force: true });
    client.send({ type: 'approval.answer', id: 'm3', approvalId: 'a1', approve: 'yes' });
    client.send([1, 2]);
    client.send({ type: 'subscribe', id: 'x'.repeat(65) });
    client.send({ type: 'session.pause', id: 'fine' });
    await client.next('ack', (m) => m.id === 'fine');
    expect(errors(client.messages).map((e) => [e.code, e.id])).toEqual([
      ['BAD_JSON', undefined],
      ['BAD_JSON', undefined],
      ['UNKNOWN_TYPE', 'u1'],
      ['BAD_MESSAGE', 'm1'],
      ['BAD_MESSAGE', 'm2'],
      ['BAD_MESSAGE', 'm3'],
      ['BAD_MESSAGE', undefined],
      ['BAD_MESSAGE', undefined],
    ]);
    expect(session.controls).toEqual([{ type: 'session.pause' }]);
  });

  it('turns a throwing session into INTERNAL instead of a crash', async () => {
    const session = createFakeSession();
    session.source.control = () => {
      throw new Error('boom');
    };
    const test = await startServer(session.source);
    const client = await connectClient(test.port, goodHeaders(test));
    client.send({ type: 'session.stop', id: 's' });
    expect(await client.next('error')).toMatchObject({ id: 's', code: 'INTERNAL' });
    expect((await fetchRaw(test.port, '/api/health', { headers: { Authorization: `Bearer ${test.token}` } })).status).toBe(200);
  });

  it('closes a frame over maxMessageBytes with 1009, and other clients carry on', async () => {
    const session = createFakeSession();
    const test = await startServer(session.source);
    const [big, other] = [await connectClient(test.port, goodHeaders(test)), await connectClient(test.port, goodHeaders(test))];
    big.send({ type: 'review.request', id: 'r', note: 'x'.repeat(1024 * 1024) });
    expect((await big.closed).code).toBe(1009);
    other.send({ type: 'session.pause', id: 'still' });
    await other.next('ack', (m) => m.id === 'still');
    expect(session.controls).toEqual([{ type: 'session.pause' }]);
  });

  it('rate-limits each connection: RATE_LIMITED past the burst, 1008 for a client that keeps flooding', async () => {
    const session = createFakeSession();
    const test = await startServer(session.source, { limits: { messageBurst: 5, messagesPerSecond: 5, maxRateLimited: 50 } });
    const [flood, calm] = [await connectClient(test.port, goodHeaders(test)), await connectClient(test.port, goodHeaders(test))];
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    for (let i = 0; i < 1000 && flood.ws.readyState === flood.ws.OPEN; i += 1) flood.send({ type: 'session.pause', id: `f${i}` });
    expect((await flood.closed).code).toBe(1008);
    lag.disable();
    // The sending loop shares this event loop with the server, so this bounds both together.
    expect(lag.max / 1e6).toBeLessThan(100);
    const acks = flood.messages.filter((m) => m.type === 'ack').length;
    expect(acks).toBeGreaterThanOrEqual(5);
    expect(acks).toBeLessThanOrEqual(6);
    expect(errors(flood.messages).every((e) => e.code === 'RATE_LIMITED')).toBe(true);
    calm.send({ type: 'session.resume', id: 'calm' });
    await calm.next('ack', (m) => m.id === 'calm');
    expect(session.controls.length).toBe(acks + 1);
    const metrics = (await fetchRaw(test.port, '/metrics', { headers: { Authorization: `Bearer ${test.token}` } })).body;
    expect(metrics).toContain('orchestrate_dashboard_clients_dropped_total{reason="flood"} 1\n');
    expect(metrics).toContain('orchestrate_dashboard_messages_total{result="rateLimited"} 50\n');
  });
});
