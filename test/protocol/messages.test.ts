import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ErrorCodeSchema,
  parseClientMessage,
  parseServerMessage,
  PROTOCOL_VERSION,
  ServerMessageSchema,
  toControlCommand,
  type ServerMessage,
} from '../../src/protocol/index.js';

describe('client messages', () => {
  it.each([
    [{ type: 'subscribe', id: 'a' }],
    [{ type: 'subscribe', id: 'a', fromSeq: 1 }],
    [{ type: 'session.pause', id: 'a' }],
    [{ type: 'session.resume', id: 'a' }],
    [{ type: 'session.stop', id: 'a' }],
    [{ type: 'worker.pause', id: 'a', workerId: 'worker:design' }],
    [{ type: 'worker.resume', id: 'a', workerId: 'worker:design' }],
    [{ type: 'worker.stop', id: 'a', workerId: 'worker:design' }],
    [{ type: 'review.request', id: 'a' }],
    [{ type: 'review.request', id: 'a', workerId: 'worker:design', note: 'check the tests' }],
    [{ type: 'approval.answer', id: 'a', approvalId: 'r1', approve: true }],
    [{ type: 'approval.answer', id: 'a', approvalId: 'r1', approve: false, hash: '0'.repeat(64) }],
  ])('accepts %j', (message) => {
    expect(parseClientMessage(JSON.stringify(message))).toEqual({ ok: true, message });
  });

  it.each([
    ['{nope', 'BAD_JSON', undefined],
    ['', 'BAD_JSON', undefined],
    ['null', 'BAD_MESSAGE', undefined],
    ['[1]', 'BAD_MESSAGE', undefined],
    ['{"id":"a"}', 'BAD_MESSAGE', 'a'],
    ['{"type":"session.explode","id":"a"}', 'UNKNOWN_TYPE', 'a'],
    ['{"type":"toString","id":"a"}', 'UNKNOWN_TYPE', 'a'],
    ['{"type":"session.pause"}', 'BAD_MESSAGE', undefined],
    ['{"type":"session.pause","id":""}', 'BAD_MESSAGE', undefined],
    ['{"type":"session.pause","id":"a","extra":1}', 'BAD_MESSAGE', 'a'],
    ['{"type":"worker.stop","id":"a"}', 'BAD_MESSAGE', 'a'],
    ['{"type":"subscribe","id":"a","fromSeq":0}', 'BAD_MESSAGE', 'a'],
    ['{"type":"subscribe","id":"a","fromSeq":1.5}', 'BAD_MESSAGE', 'a'],
    ['{"type":"approval.answer","id":"a","approvalId":"r","approve":1}', 'BAD_MESSAGE', 'a'],
    ['{"type":"approval.answer","id":"a","approvalId":"r","approve":true,"hash":"xyz"}', 'BAD_MESSAGE', 'a'],
    [JSON.stringify({ type: 'review.request', id: 'a', note: 'n'.repeat(2001) }), 'BAD_MESSAGE', 'a'],
  ])('refuses %s with %s', (text, code, id) => {
    expect(parseClientMessage(text)).toEqual({ ok: false, code, id });
  });

  it('maps every control to the domain command the session machine takes', () => {
    expect(toControlCommand({ type: 'session.stop' })).toEqual({ type: 'session.stop' });
    expect(toControlCommand({ type: 'worker.pause', workerId: 'w' })).toEqual({ type: 'worker.control', workerId: 'w', command: 'worker.pause' });
    expect(toControlCommand({ type: 'review.request' })).toEqual({ type: 'review.request' });
    expect(toControlCommand({ type: 'review.request', note: 'the parser' })).toEqual({ type: 'review.request', note: 'the parser' });
    // The hash is checked by the server against what it shows; the machine needs only the answer.
    expect(toControlCommand({ type: 'approval.answer', approvalId: 'r', approve: true, hash: 'a'.repeat(64) })).toEqual({ type: 'approval.answer', approvalId: 'r', approve: true });
  });
});

describe('server messages', () => {
  const messages: ServerMessage[] = [
    {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      session: { sessionId: 's1', task: 't', target: 'r', branch: 'b', agents: ['claude'], startedAt: 1, state: 'running' },
      machines: { session: { id: 'session' } },
      lastSeq: 0,
      limits: { maxMessageBytes: 16384, messagesPerSecond: 10, messageBurst: 20 },
    },
    {
      type: 'batch',
      fromSeq: 1,
      toSeq: 1,
      items: [
        { kind: 'log', entry: { type: 'session.paused', sessionId: 's1', workerId: 'session', seq: 1, ts: 5 } },
        { kind: 'actor', atSeq: 1, actorId: 'x:2', id: 'worker:design', parentId: 'x:0', machine: 'worker' },
        { kind: 'received', atSeq: 1, actorId: 'x:2', sourceId: null, event: { type: 'worker.pause' } },
        { kind: 'snapshot', atSeq: 1, actorId: 'x:2', event: 'worker.pause', status: 'active', value: { live: 'paused' }, transitions: [{ source: 'worker.live.running', targets: ['worker.live.paused'] }] },
        { kind: 'actor.stopped', atSeq: 1, actorId: 'x:3', status: 'stopped' },
      ],
    },
    { type: 'ack', id: 'a' },
    { type: 'error', code: 'RATE_LIMITED', message: 'slow down' },
  ];

  it.each(messages.map((m) => [m.type, m] as const))('round-trips %s', (_type, message) => {
    expect(parseServerMessage(JSON.stringify(message))).toEqual(message);
  });

  it('rejects frames of another version or shape instead of guessing', () => {
    expect(parseServerMessage(JSON.stringify({ ...messages[0], protocol: 2 }))).toBeNull();
    expect(parseServerMessage('{"type":"error","code":"NOT_A_CODE","message":""}')).toBeNull();
    expect(parseServerMessage(JSON.stringify({ type: 'batch', fromSeq: 1, toSeq: 1, items: [{ kind: 'log', entry: { type: 'x' } }] }))).toBeNull();
    expect(parseServerMessage('not json')).toBeNull();
    expect(ServerMessageSchema.safeParse({ type: 'snapshot', lastSeq: -1, session: {} }).success).toBe(false);
  });

  it('keeps its error codes stable (clients decide on them)', () => {
    expect(ErrorCodeSchema.options).toEqual([
      'BAD_JSON', 'BAD_MESSAGE', 'UNKNOWN_TYPE', 'RATE_LIMITED', 'SEQ_OUT_OF_RANGE', 'HISTORY_UNAVAILABLE',
      'SESSION_ENDED', 'UNKNOWN_WORKER', 'UNKNOWN_APPROVAL', 'UNSUPPORTED', 'INTERNAL', 'NOT_NOW',
    ]);
  });
});

describe('protocol layer', () => {
  // The dashboard bundles protocol/ and domain/: nothing there may pull in Node or server code.
  it('imports only zod, the domain and itself, all the way down', () => {
    for (const layer of ['protocol', 'domain']) {
      const root = fileURLToPath(new URL(`../../src/${layer}/`, import.meta.url));
      for (const file of readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'))) {
        const imports = [...readFileSync(root + file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
        const inside = (spec: string) => resolve(dirname(root + file), spec).startsWith(root);
        for (const spec of imports) {
          // zod, a module of the layer itself (any folder of it), or, from the protocol, the domain's index.
          const ok = spec === 'zod' || (spec.startsWith('.') && inside(spec)) || (layer === 'protocol' && spec === '../domain/index.js');
          expect(ok, `${layer}/${file} imports ${spec}`).toBe(true);
        }
      }
    }
  });
});
