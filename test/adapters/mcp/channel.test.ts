import { existsSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentChannel, type AgentChannel, type AgentChannelOptions, type ChannelRefused, type ChannelReport } from '../../../src/adapters/mcp/channel.js';
import { sendReport } from '../../../src/adapters/mcp/channel-client.js';
import { CHANNEL_SECRET_VAR, CHANNEL_SOCKET_VAR, MAX_FRAME_BYTES } from '../../../src/adapters/mcp/protocol.js';
import { MAX_SOCKET_PATH_BYTES } from '../../../src/adapters/mcp/private-dir.js';
import { waitUntil } from '../../support/processes.js';

interface Harness {
  channel: AgentChannel;
  reports: ChannelReport[];
  refusals: ChannelRefused[];
}

const channels: AgentChannel[] = [];
afterEach(async () => {
  await Promise.all(channels.splice(0).map((channel) => channel.close()));
});

function open(options: Partial<AgentChannelOptions> = {}): Harness {
  const reports: ChannelReport[] = [];
  const refusals: ChannelRefused[] = [];
  const channel = createAgentChannel({ onReport: (r) => reports.push(r), onRefused: (r) => refusals.push(r), serverScript: '/server-main.js', ...options });
  channels.push(channel);
  return { channel, reports, refusals };
}

function socketOf(registration: { mcp: { env: Record<string, string> } }): string {
  return registration.mcp.env[CHANNEL_SOCKET_VAR]!;
}

// Sends raw bytes and collects everything the channel answers until it closes the connection.
function exchange(socketPath: string, write: (socket: Socket) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    socket.on('connect', () => write(socket));
  });
}

describe('createAgentChannel', () => {
  it('puts one socket per worker in a private directory, and names socket and secret in the server environment', () => {
    const { channel } = open();
    const registration = channel.register('worker:design');
    expect(statSync(channel.dir).mode & 0o777).toBe(0o700);
    expect(statSync(registration.mcp.dir).mode & 0o777).toBe(0o700);
    expect(Buffer.byteLength(socketOf(registration))).toBeLessThanOrEqual(MAX_SOCKET_PATH_BYTES);
    expect(statSync(socketOf(registration)).isSocket()).toBe(true);
    expect(registration.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(registration.mcp).toMatchObject({
      name: 'orchestrate',
      command: process.execPath,
      args: ['/server-main.js'],
      env: { [CHANNEL_SECRET_VAR]: registration.secret },
      tools: ['report_milestone', 'report_blocker', 'request_review'],
    });
    expect(channel.register('worker:implement').secret).not.toBe(registration.secret);
  });

  it('attributes a report to the worker its secret was issued to, and answers ok', async () => {
    const { channel, reports, refusals } = open();
    const registration = channel.register('worker:design');
    const answer = await sendReport(socketOf(registration), { secret: registration.secret, kind: 'milestone', text: 'the design is written' });
    expect(answer).toEqual({ ok: true });
    expect(reports).toEqual([{ workerId: 'worker:design', kind: 'milestone', text: 'the design is written' }]);
    expect(refusals).toEqual([]);
  });

  it('cuts the text of a report to the preview length', async () => {
    const { channel, reports } = open();
    const registration = channel.register('worker:design');
    await sendReport(socketOf(registration), { secret: registration.secret, kind: 'blocker', text: 'x'.repeat(5000) });
    expect(reports[0]?.text.length).toBe(2000);
    expect(reports[0]?.text.endsWith('…')).toBe(true);
  });

  it('refuses an unknown secret, reports which channel it came through, and closes the connection', async () => {
    const { channel, reports, refusals } = open();
    const registration = channel.register('worker:design');
    const answer = await sendReport(socketOf(registration), { secret: 'f'.repeat(64), kind: 'milestone', text: 'forged' });
    expect(answer).toMatchObject({ ok: false, refused: 'unknownSecret' });
    expect(reports).toEqual([]);
    expect(refusals).toEqual([{ reason: 'unknownSecret', workerId: 'worker:design' }]);
    expect(JSON.stringify(refusals)).not.toContain(registration.secret);
  });

  it('refuses another worker’s secret, live or revoked: a report never lands on another worker', async () => {
    const { channel, reports, refusals } = open();
    const design = channel.register('worker:design');
    const implement = channel.register('worker:implement');
    const live = await sendReport(socketOf(implement), { secret: design.secret, kind: 'milestone', text: 'as design' });
    design.revoke();
    const revoked = await sendReport(socketOf(implement), { secret: design.secret, kind: 'review', text: 'as design, after it ended' });
    expect([live, revoked]).toEqual([expect.objectContaining({ refused: 'wrongWorker' }), expect.objectContaining({ refused: 'wrongWorker' })]);
    expect(reports).toEqual([]);
    expect(refusals).toEqual([
      { reason: 'wrongWorker', workerId: 'worker:implement' },
      { reason: 'wrongWorker', workerId: 'worker:implement' },
    ]);
  });

  it('closes a revoked worker’s socket and removes its private files', async () => {
    const { channel } = open();
    const registration = channel.register('worker:design');
    channel.revoke('worker:design');
    expect(existsSync(socketOf(registration))).toBe(false);
    expect(existsSync(registration.mcp.dir)).toBe(false);
    await expect(sendReport(socketOf(registration), { secret: registration.secret, kind: 'milestone', text: 'late' })).rejects.toThrow(/ENOENT|ECONNREFUSED/);
  });

  it('answers `revoked` to a report already on its way when the worker is revoked', async () => {
    const { channel, reports, refusals } = open();
    const registration = channel.register('worker:design');
    const answer = exchange(socketOf(registration), (socket) => {
      socket.write('{"secret":');
      setTimeout(() => {
        channel.revoke('worker:design');
        socket.write(`"${registration.secret}","kind":"milestone","text":"too late"}\n`);
      }, 50);
    });
    expect(JSON.parse(await answer)).toMatchObject({ ok: false, refused: 'revoked' });
    expect(reports).toEqual([]);
    expect(refusals).toEqual([{ reason: 'revoked', workerId: 'worker:design' }]);
  });

  it('lets a later registration of the same worker replace the first, whose revoke then changes nothing', async () => {
    const { channel, reports } = open();
    const first = channel.register('worker:design');
    const second = channel.register('worker:design');
    first.revoke();
    expect(await sendReport(socketOf(second), { secret: second.secret, kind: 'milestone', text: 'still open' })).toEqual({ ok: true });
    expect(reports).toEqual([{ workerId: 'worker:design', kind: 'milestone', text: 'still open' }]);
  });

  it.each([
    ['not JSON', 'hello\n'],
    ['JSON that is not a report', '{"workerId":"worker:implement","kind":"milestone","text":"x"}\n'],
    ['an unknown kind', '{"secret":"s","kind":"done","text":"x"}\n'],
  ])('refuses a malformed frame (%s)', async (_what, frame) => {
    const { channel, reports, refusals } = open();
    const registration = channel.register('worker:design');
    const answer = await exchange(socketOf(registration), (socket) => socket.write(frame));
    expect(JSON.parse(answer)).toMatchObject({ ok: false, refused: 'malformed' });
    expect(reports).toEqual([]);
    expect(refusals).toEqual([{ reason: 'malformed', workerId: 'worker:design' }]);
  });

  it('refuses an oversized frame without waiting for its end', async () => {
    const { channel, refusals } = open();
    const registration = channel.register('worker:design');
    const answer = await exchange(socketOf(registration), (socket) => socket.write('x'.repeat(MAX_FRAME_BYTES + 1)));
    expect(JSON.parse(answer)).toMatchObject({ ok: false, refused: 'oversized' });
    expect(refusals).toEqual([{ reason: 'oversized', workerId: 'worker:design' }]);
  });

  it('refuses a frame that does not arrive in time', async () => {
    const { channel, refusals } = open({ limits: { frameTimeoutMs: 100 } });
    const registration = channel.register('worker:design');
    const answer = await exchange(socketOf(registration), (socket) => socket.write('{"secret":'));
    expect(JSON.parse(answer)).toMatchObject({ ok: false, refused: 'timeout' });
    expect(refusals).toEqual([{ reason: 'timeout', workerId: 'worker:design' }]);
  });

  it('refuses connections beyond the per-worker limit, and stops reporting refusals past its cap', async () => {
    const { channel, refusals } = open({ limits: { maxConnectionsPerWorker: 1, maxRefusalsReported: 2 } });
    const registration = channel.register('worker:design');
    const holder = connect(socketOf(registration));
    await new Promise((resolve) => holder.once('connect', resolve));
    const answers = await Promise.all([1, 2, 3].map(() => exchange(socketOf(registration), () => {})));
    expect(answers.map((a) => JSON.parse(a).refused)).toEqual(['busy', 'busy', 'busy']);
    expect(refusals).toEqual([
      { reason: 'busy', workerId: 'worker:design' },
      { reason: 'busy', workerId: 'worker:design' },
    ]);
    holder.destroy();
  });

  it('closes every socket and removes its directory; registering afterwards is an error', async () => {
    const { channel } = open();
    const registration = channel.register('worker:design');
    const idle = connect(socketOf(registration));
    await new Promise((resolve) => idle.once('connect', resolve));
    await channel.close();
    await waitUntil(() => idle.destroyed, 2_000, 'the open connection to close');
    expect(existsSync(channel.dir)).toBe(false);
    expect(() => channel.register('worker:late')).toThrow(/closed/);
    await channel.close();
  });

  it('falls back to /tmp when the temporary directory is too long for socket paths', () => {
    const { channel } = open({ parentDir: `/tmp/${'d'.repeat(100)}` });
    expect(channel.dir.startsWith('/tmp/orchestrate-')).toBe(true);
  });
});
