import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { createDashboardServer, type DashboardServer } from '../../src/ws-server/index.js';
import { createScriptedSession, type ScriptedSession } from './scripted-session.js';

const DASHBOARD = fileURLToPath(new URL('../../dashboard', import.meta.url));

/** The dashboard as it is in the source tree, served by the real server over a scripted session. */
export interface ScriptedDashboard {
  session: ScriptedSession;
  server: DashboardServer;
  close(): Promise<void>;
}

// Builds the dashboard with Vite into a temporary directory (so the test sees the current source,
// not an older build), starts a scripted session on `task` and serves both on a free loopback port.
export async function serveScriptedDashboard(task: string): Promise<ScriptedDashboard> {
  const outDir = mkdtempSync(join(tmpdir(), 'orchestrate-dashboard-'));
  const removeBuild = () => rmSync(outDir, { recursive: true, force: true });
  try {
    await build({ root: DASHBOARD, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    const session = createScriptedSession({ task });
    session.start();
    const server = await createDashboardServer({ source: session.source, port: 0, host: '127.0.0.1', dashboardDir: outDir });
    return {
      session,
      server,
      async close() {
        await server.close();
        removeBuild();
      },
    };
  } catch (error) {
    removeBuild();
    throw error;
  }
}
