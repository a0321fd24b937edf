import { join } from 'node:path';
import type { LogEntry, SessionInput, ToolCallChecker } from '../domain/index.js';
import { getLastSeq, readEvents } from '../store/event-reader.js';
import { OrchestrateError } from './errors.js';
import { launchSession, type RunningSession } from './launch-session.js';
import { reapProcessGroups } from './reap.js';
import { openWorkspaceStore } from './workspace-store.js';

const ENDED = new Set(['completed', 'failed', 'stopped']);

export interface ResumeOptions {
  sessionId: string;
  workspace: string;
  dbPath?: string;
  env?: NodeJS.ProcessEnv;
  watchdogScript?: string;
  /** The compiled MCP server of the agent channel, likewise. */
  mcpServerScript?: string;
  /** Decides each tool call the agents report (see LaunchOptions.checker). */
  checker?: ToolCallChecker;
}

// Continues a session whose orchestrator was killed: reaps the agents it left running, restores the
// machines from the latest snapshot (finished phases stay finished) and lets each interrupted worker
// relaunch its agent with the vendor's resume flag, in its recorded working directory.
export async function resumeSession(options: ResumeOptions): Promise<RunningSession> {
  const workspace = openWorkspaceStore(options.workspace, options.dbPath);
  try {
    const { store, db } = workspace;
    const record = store.getSession(options.sessionId);
    if (!record) throw new OrchestrateError(`there is no session ${options.sessionId} in ${workspace.path}`);
    if (ENDED.has(record.state)) {
      throw new OrchestrateError(`session ${record.id} already ended (${record.state}); \`orchestrate replay ${record.id}\` plays it back`);
    }
    const started = readEvents(db, record.id, { limit: 64 }).find(
      (e): e is Extract<LogEntry, { type: 'session.started' }> => e.type === 'session.started',
    );
    if (!started) throw new OrchestrateError(`session ${record.id} has no recorded start: it cannot be resumed`);
    const reaped = await reapProcessGroups(store.listOpenProcessGroups(record.id));
    for (const pgid of reaped) store.endProcessGroup(record.id, pgid);
    const lastSeq = getLastSeq(db, record.id);
    const latest = store.latestSnapshot(record.id, lastSeq);
    return await launchSession({
      record,
      input: started.input as SessionInput,
      workspace,
      sessionDir: join(record.workspace, 'sessions', record.id),
      startSeq: lastSeq,
      restore: { snapshot: latest?.snapshot ?? null, seq: latest?.seq ?? 0, reaped },
      env: options.env,
      watchdogScript: options.watchdogScript,
      mcpServerScript: options.mcpServerScript,
      checker: options.checker,
    });
  } catch (error) {
    workspace.close();
    throw error;
  }
}
