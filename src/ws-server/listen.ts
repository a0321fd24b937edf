import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocket } from 'ws';

// Listens on `port`, or on a port the OS picks when it is taken.
export async function listen(server: Server, host: string, port: number, warn: (message: string) => void): Promise<number> {
  const attempt = (p: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, host, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  try {
    return await attempt(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
    const chosen = await attempt(0);
    warn(`port ${port} is in use; the dashboard listens on port ${chosen} instead`);
    return chosen;
  }
}

// Pings every client each interval; one that has not answered the previous ping is terminated.
export function startHeartbeat(sockets: ReadonlySet<WebSocket>, intervalMs: number, onDead: () => void): NodeJS.Timeout {
  const alive = new WeakMap<WebSocket, boolean>();
  const timer = setInterval(() => {
    for (const ws of sockets) {
      if (alive.get(ws) === false) {
        onDead();
        ws.terminate();
        continue;
      }
      if (!alive.has(ws)) ws.on('pong', () => alive.set(ws, true));
      alive.set(ws, false);
      ws.ping();
    }
  }, intervalMs);
  timer.unref();
  return timer;
}
