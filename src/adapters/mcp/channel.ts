import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHANNEL_SERVER_NAME, CHANNEL_TOOLS, type ChannelRefusal, type ReportKind } from '../../domain/index.js';
import { previewText } from '../agents/shared/preview.js';
import type { McpServerLaunch } from '../agents/types.js';
import { createPrivateDir } from './private-dir.js';
import {
  CHANNEL_SECRET_VAR,
  CHANNEL_SOCKET_VAR,
  MAX_FRAME_BYTES,
  ReportFrameSchema,
  createFrameReader,
  encodeFrame,
  parseFrame,
} from './protocol.js';

/** A report that passed: the worker comes from the secret, never from the frame. */
export interface ChannelReport {
  workerId: string;
  kind: ReportKind;
  text: string;
}

/** A refused report: why, and the worker whose channel it came through. Never the secret. */
export interface ChannelRefused {
  reason: ChannelRefusal;
  workerId: string;
}

export interface ChannelLimits {
  maxFrameBytes: number;
  /** Connections open at once on one worker's socket. */
  maxConnectionsPerWorker: number;
  /** How long a connection may take to send its frame. */
  frameTimeoutMs: number;
  /** Refusals reported per worker; later ones are still answered, but no longer reported (a flood stays out of the log). */
  maxRefusalsReported: number;
}

const DEFAULT_LIMITS: ChannelLimits = {
  maxFrameBytes: MAX_FRAME_BYTES,
  maxConnectionsPerWorker: 4,
  frameTimeoutMs: 10_000,
  maxRefusalsReported: 20,
};

export interface AgentChannelOptions {
  onReport(report: ChannelReport): void;
  onRefused(refused: ChannelRefused): void;
  /** The compiled MCP server; defaults to server-main.js next to this module (dist/adapters/mcp/). */
  serverScript?: string;
  /** The node binary that runs it; defaults to ours. */
  execPath?: string;
  /** Where the private directory is made; defaults to the OS temp directory. */
  parentDir?: string;
  limits?: Partial<ChannelLimits>;
}

/** What a worker's agent is given: its secret, inside the launch of the MCP server that uses it. */
export interface WorkerRegistration {
  secret: string;
  mcp: McpServerLaunch;
  /** Revokes this registration, unless a later one of the same worker replaced it. */
  revoke(): void;
}

/** The orchestrator's end of the agent channel: one Unix socket per worker, in a private directory. */
export interface AgentChannel {
  /** The private directory (0700) holding the sockets and the workers' files. */
  readonly dir: string;
  /** Opens a worker's socket and issues its secret; a second registration replaces the first. */
  register(workerId: string): WorkerRegistration;
  /** Closes a worker's socket and forgets its secret: later reports are refused. */
  revoke(workerId: string): void;
  /** Revokes every worker and removes the private directory. Idempotent. */
  close(): Promise<void>;
}

interface Endpoint {
  workerId: string;
  digest: Buffer;
  socketPath: string;
  dir: string;
  server: Server;
  connections: Set<Socket>;
  revoked: boolean;
  refusals: number;
}

// Secrets are compared by digest: equal lengths for timingSafeEqual, and no secret kept in memory.
function digestOf(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

// Creates the channel and its private directory. Reports and refusals are handed to the callbacks as they come.
export function createAgentChannel(options: AgentChannelOptions): AgentChannel {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const dir = createPrivateDir(options.parentDir);
  const serverScript = options.serverScript ?? fileURLToPath(new URL('./server-main.js', import.meta.url));
  const endpoints = new Map<string, Endpoint>();
  /** The digest of every secret ever issued, so another worker's secret (live or revoked) is told from an unknown one. */
  const issued = new Set<string>();
  const closing: Promise<void>[] = [];
  /** Every open connection, revoked workers' included, so close() can end them all. */
  const sockets = new Set<Socket>();
  let count = 0;
  let closed = false;

  // Answers with the refusal and closes; the refusal is reported unless this channel already reported plenty.
  const refuse = (endpoint: Endpoint, socket: Socket, reason: ChannelRefusal, message: string) => {
    if (endpoint.refusals++ < limits.maxRefusalsReported) options.onRefused({ reason, workerId: endpoint.workerId });
    socket.pause();
    socket.end(encodeFrame({ ok: false, refused: reason, message }), () => socket.destroy());
  };

  const handleFrame = (endpoint: Endpoint, socket: Socket, line: string) => {
    const frame = parseFrame(ReportFrameSchema, line);
    if (!frame) return refuse(endpoint, socket, 'malformed', 'the frame is not a report of the agent channel');
    if (endpoint.revoked) return refuse(endpoint, socket, 'revoked', 'this worker has finished: its channel is closed');
    const digest = digestOf(frame.secret);
    if (!timingSafeEqual(digest, endpoint.digest)) {
      const foreign = issued.has(digest.toString('hex'));
      return refuse(endpoint, socket, foreign ? 'wrongWorker' : 'unknownSecret', 'the secret is not this worker’s');
    }
    options.onReport({ workerId: endpoint.workerId, kind: frame.kind, text: previewText(frame.text) });
    socket.end(encodeFrame({ ok: true }), () => socket.destroy());
  };

  const accept = (endpoint: Endpoint) => (socket: Socket) => {
    // A client that vanished mid-answer is no concern of ours.
    socket.on('error', () => {});
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (endpoint.connections.size >= limits.maxConnectionsPerWorker) {
      return refuse(endpoint, socket, 'busy', 'too many reports at once on this channel');
    }
    endpoint.connections.add(socket);
    socket.on('close', () => endpoint.connections.delete(socket));
    socket.setTimeout(limits.frameTimeoutMs, () => refuse(endpoint, socket, 'timeout', 'no complete frame in time'));
    const reader = createFrameReader(limits.maxFrameBytes);
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      const progress = answered ? undefined : reader.push(chunk);
      if (!progress) return;
      answered = true;
      socket.setTimeout(0);
      if ('oversized' in progress) refuse(endpoint, socket, 'oversized', `a frame holds at most ${limits.maxFrameBytes} bytes`);
      else handleFrame(endpoint, socket, progress.line);
    });
  };

  const revoke = (workerId: string, only?: Endpoint) => {
    const endpoint = endpoints.get(workerId);
    if (!endpoint || (only && endpoint !== only)) return;
    endpoints.delete(workerId);
    endpoint.revoked = true;
    // Reports already on an open connection are answered `revoked` when their frame arrives.
    closing.push(new Promise((resolve) => endpoint.server.close(() => resolve())));
    rmSync(endpoint.socketPath, { force: true });
    rmSync(endpoint.dir, { recursive: true, force: true });
  };

  // Opens a worker's socket and private directory. The socket is bound when listen() returns, so the CLI's
  // server can connect as soon as it starts; a failure shows as its reports failing, each a tool error.
  const openEndpoint = (workerId: string, digest: Buffer): Endpoint => {
    const name = `w${++count}`;
    const server = createServer();
    const endpoint: Endpoint = {
      workerId,
      digest,
      socketPath: join(dir, `${name}.sock`),
      dir: join(dir, name),
      server,
      connections: new Set(),
      revoked: false,
      refusals: 0,
    };
    mkdirSync(endpoint.dir, { mode: 0o700 });
    server.on('connection', accept(endpoint));
    server.on('error', () => {});
    server.listen(endpoint.socketPath);
    // The channel alone never keeps the orchestrator alive.
    server.unref();
    return endpoint;
  };

  const register = (workerId: string): WorkerRegistration => {
    if (closed) throw new Error('the agent channel is closed');
    revoke(workerId);
    const secret = randomBytes(32).toString('hex');
    const endpoint = openEndpoint(workerId, digestOf(secret));
    issued.add(endpoint.digest.toString('hex'));
    endpoints.set(workerId, endpoint);
    const env = { [CHANNEL_SOCKET_VAR]: endpoint.socketPath, [CHANNEL_SECRET_VAR]: secret };
    const tools = CHANNEL_TOOLS.map((tool) => tool.name);
    const mcp = { name: CHANNEL_SERVER_NAME, command: options.execPath ?? process.execPath, args: [serverScript], env, tools, dir: endpoint.dir };
    return { secret, mcp, revoke: () => revoke(workerId, endpoint) };
  };

  const close = async () => {
    if (!closed) {
      closed = true;
      for (const workerId of [...endpoints.keys()]) revoke(workerId);
      for (const socket of sockets) socket.destroy();
      // At once, not after the servers closed: a process that exits right after leaves nothing behind.
      rmSync(dir, { recursive: true, force: true });
    }
    await Promise.all(closing);
  };

  return { dir, register, revoke: (workerId) => revoke(workerId), close };
}
