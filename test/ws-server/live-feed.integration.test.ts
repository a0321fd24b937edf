import { afterEach, describe, expect, it } from 'vitest';
import type { InspectionRecord, ServerMessageOf } from '../../src/protocol/index.js';
import { cleanupAll, connectClient, createFakeSession, fetchRaw, goodHeaders, sleep, startServer, waitUntil, type TestClient } from './support.js';

afterEach(cleanupAll);

type Batch = ServerMessageOf<'batch'>;
const batches = (client: TestClient) => client.messages.filter((m): m is Batch => m.type === 'batch');
const seqs = (client: TestClient) => batches(client).flatMap((b) => b.items.flatMap((item) => (item.kind === 'log' ? [item.entry.seq] : [])));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// Every batch starts right after the previous one and holds exactly the seqs it claims, in order.
function expectContiguous(client: TestClient, firstSeq: number): void {
  let next = firstSeq;
  for (const batch of batches(client)) {
    expect(batch.fromSeq).toBe(next);
    const inBatch = batch.items.flatMap((item) => (item.kind === 'log' ? [item.entry.seq] : []));
    expect(inBatch).toEqual(range(batch.fromSeq, batch.toSeq));
    next = batch.toSeq + 1;
  }
}

describe('live feed', () => {
  it('sends hello on connect, then ack and snapshot for subscribe', async () => {
    const session = createFakeSession();
    await session.append(3);
    const test = await startServer(session.source);
    const client = await connectClient(test.port, goodHeaders(test));
    const hello = await client.next('hello');
    expect(hello).toMatchObject({ protocol: 1, lastSeq: 3, session: { sessionId: 's1' }, machines: { session: { id: 'session' } } });
    client.send({ type: 'subscribe', id: 'sub-1', fromSeq: 2 });
    await client.next('ack', (m) => m.id === 'sub-1');
    expect((await client.next('snapshot')).lastSeq).toBe(3);
    await waitUntil(() => seqs(client).length === 2, 3000, 'the history');
    expect(client.messages.map((m) => m.type)).toEqual(['hello', 'ack', 'snapshot', 'batch']);
    expect(seqs(client)).toEqual([2, 3]);
  });

  it('serves exactly what a client missed from the store, then live batches: no gap, no duplicate at the seam', async () => {
    const session = createFakeSession();
    await session.append(500);
    const test = await startServer(session.source, { limits: { pageSize: 64 } });
    const client = await connectClient(test.port, goodHeaders(test));
    let appending = true;
    const appender = (async () => {
      while (appending) {
        session.appendNow(7);
        await sleep(1);
      }
    })();
    await sleep(10);
    client.send({ type: 'subscribe', id: 's', fromSeq: 1 });
    await sleep(150);
    appending = false;
    await appender;
    await session.append(5);
    const last = session.log.lastSeq;
    expect(last).toBeGreaterThan(600);
    await waitUntil(() => seqs(client).at(-1) === last, 5000, 'every event');
    expect(seqs(client)).toEqual(range(1, last));
    expectContiguous(client, 1);
  });

  it('subscribes from now when no fromSeq is given, and refuses one after the last committed event', async () => {
    const session = createFakeSession();
    await session.append(10);
    const test = await startServer(session.source);
    const client = await connectClient(test.port, goodHeaders(test));
    client.send({ type: 'subscribe', id: 'late', fromSeq: 12 });
    expect(await client.next('error', (m) => m.id === 'late')).toMatchObject({ code: 'SEQ_OUT_OF_RANGE' });
    client.send({ type: 'subscribe', id: 'now' });
    await client.next('ack', (m) => m.id === 'now');
    await session.append(4);
    await waitUntil(() => seqs(client).length === 4, 3000, 'the live events');
    expect(seqs(client)).toEqual([11, 12, 13, 14]);
    expectContiguous(client, 11);
  });

  it('flushes at maxBatchItems at once, sends every client the same batches, and counts them', async () => {
    const session = createFakeSession();
    const test = await startServer(session.source);
    const clients = [await connectClient(test.port, goodHeaders(test)), await connectClient(test.port, goodHeaders(test))];
    for (const client of clients) client.send({ type: 'subscribe', id: 'go' });
    await Promise.all(clients.map((client) => client.next('ack')));
    await session.append(1000);
    await Promise.all(clients.map((client) => waitUntil(() => seqs(client).length === 1000, 3000, 'the burst')));
    const shapes = clients.map((client) => batches(client).map((b) => [b.fromSeq, b.toSeq, b.items.length]));
    expect(shapes[0]).toEqual(shapes[1]);
    expect(Math.max(...shapes[0]!.map((shape) => shape[2]!))).toBe(256);
    const metrics = (await fetchRaw(test.port, '/metrics', { headers: { Authorization: `Bearer ${test.token}` } })).body;
    expect(metrics).toContain(`orchestrate_dashboard_batches_total ${shapes[0]!.length}`);
    expect(metrics).toContain('orchestrate_dashboard_batch_items_total 1000');
  });

  it('attaches inspection only while a client is connected and delivers its records in batches', async () => {
    const session = createFakeSession();
    const test = await startServer(session.source);
    expect(session.inspectors.size).toBe(0);
    const client = await connectClient(test.port, goodHeaders(test));
    client.send({ type: 'subscribe', id: 'go' });
    await client.next('ack');
    await sleep(20);
    expect(session.inspectors.size).toBe(1);
    const record: InspectionRecord = { kind: 'snapshot', atSeq: 0, actorId: 'x:0', event: 'session.pause', status: 'active', value: 'paused', transitions: [] };
    for (const listener of session.inspectors) listener(record);
    const batch = await client.next('batch', (b) => b.items.some((item) => item.kind === 'snapshot'));
    expect(batch).toEqual({ type: 'batch', fromSeq: 1, toSeq: 0, items: [record] });
    client.ws.close();
    await client.closed;
    await waitUntil(() => session.inspectors.size === 0, 1000, 'the inspector to detach');
  });

  it('re-serves a client that stopped reading from the store, while another gets every batch in order', async () => {
    const session = createFakeSession();
    const test = await startServer(session.source, { limits: { highWaterBytes: 256 * 1024, lowWaterBytes: 64 * 1024, stallMs: 20_000 } });
    const [slow, healthy] = [await connectClient(test.port, goodHeaders(test)), await connectClient(test.port, goodHeaders(test))];
    for (const client of [slow, healthy]) client.send({ type: 'subscribe', id: 'go', fromSeq: 1 });
    await Promise.all([slow.next('ack'), healthy.next('ack')]);
    slow.ws.pause();
    for (let i = 0; i < 12; i += 1) await session.append(1000, 2000);
    const last = session.log.lastSeq;
    await waitUntil(() => seqs(healthy).at(-1) === last, 10_000, 'the healthy client');
    expect(seqs(healthy)).toEqual(range(1, last));
    expectContiguous(healthy, 1);
    const metrics = (await fetchRaw(test.port, '/metrics', { headers: { Authorization: `Bearer ${test.token}` } })).body;
    expect(metrics).toMatch(/orchestrate_dashboard_resyncs_total [1-9]/);
    slow.ws.resume();
    await waitUntil(() => seqs(slow).at(-1) === last, 10_000, 'the slow client to catch up');
    expect(seqs(slow)).toEqual(range(1, last));
    expectContiguous(slow, 1);
    // Inspection records of the lagging time are lost, so a fresh snapshot follows the catch-up.
    await waitUntil(() => slow.messages.filter((m) => m.type === 'snapshot').length === 2, 3000, 'a fresh snapshot');
  });

  it('drops a client that stays congested past stallMs with 1013, without slowing the others', async () => {
    const session = createFakeSession();
    const test = await startServer(session.source, { limits: { highWaterBytes: 256 * 1024, lowWaterBytes: 64 * 1024, stallMs: 300 } });
    const [slow, healthy] = [await connectClient(test.port, goodHeaders(test)), await connectClient(test.port, goodHeaders(test))];
    for (const client of [slow, healthy]) client.send({ type: 'subscribe', id: 'go' });
    await Promise.all([slow.next('ack'), healthy.next('ack')]);
    slow.ws.pause();
    for (let i = 0; i < 12; i += 1) await session.append(1000, 2000);
    const last = session.log.lastSeq;
    await waitUntil(() => seqs(healthy).at(-1) === last, 10_000, 'the healthy client');
    expectContiguous(healthy, 1);
    const auth = { Authorization: `Bearer ${test.token}` };
    let metrics = '';
    for (let i = 0; i < 100 && !metrics.includes('orchestrate_dashboard_clients 1\n'); i += 1) {
      await sleep(50);
      metrics = (await fetchRaw(test.port, '/metrics', { headers: auth })).body;
    }
    expect(metrics).toContain('orchestrate_dashboard_clients_dropped_total{reason="slow"} 1');
    expect(metrics).toContain('orchestrate_dashboard_clients 1\n');
    slow.ws.resume();
    expect([1006, 1013]).toContain((await slow.closed).code);
  });
});
