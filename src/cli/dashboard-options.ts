import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Command, InvalidArgumentError } from 'commander';
import { createSessionArchive } from '../runtime/dashboard/session-archive.js';
import { createSessionSource } from '../runtime/dashboard/session-source.js';
import type { RunningSession } from '../runtime/start-session.js';
import { createDashboardServer, DEFAULT_PORT, type DashboardServer } from '../ws-server/index.js';

export interface DashboardFlags {
  dashboard: boolean;
  port: number;
  host: string;
  open: boolean;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new InvalidArgumentError('a port is a number from 0 to 65535');
  return port;
}

// The dashboard options of every command that runs a session.
export function addDashboardOptions(command: Command): Command {
  return command
    .option('--no-dashboard', 'do not start the dashboard server')
    .option('--port <port>', `the dashboard port (a free one when it is taken; 0 = any)`, parsePort, DEFAULT_PORT)
    .option('--host <address>', 'the interface the dashboard listens on (anything but loopback is reachable by others)', '127.0.0.1')
    .option('--open', 'open the dashboard in a browser', false);
}

// The built dashboard shipped next to the compiled CLI, when it was built.
function findDashboardAssets(): string | undefined {
  const dir = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));
  return existsSync(dir) ? dir : undefined;
}

// Serves the session's dashboard and tells the person where it is. The URL carries the launch
// token, so it goes to the terminal (stderr) only: never to --json output or a log.
export async function startDashboard(session: RunningSession, flags: DashboardFlags, say: (text: string) => void): Promise<DashboardServer | undefined> {
  if (!flags.dashboard) return undefined;
  const source = createSessionSource({ ...session, db: session.database });
  const server = await createDashboardServer({
    source,
    archive: createSessionArchive({ db: session.database, store: session.store }),
    host: flags.host,
    port: flags.port,
    dashboardDir: findDashboardAssets(),
    onWarning: (message) => say(`dashboard: ${message}`),
  });
  say(`dashboard: ${server.url}`);
  if (flags.open) spawn('xdg-open', [server.url], { detached: true, stdio: 'ignore' }).on('error', () => say('dashboard: could not open a browser')).unref();
  return server;
}
