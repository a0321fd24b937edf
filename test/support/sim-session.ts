import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { initRepository } from '../../src/adapters/git/index.js';
import { writeDemoRepository } from '../../src/cli/demo/demo-repo.js';
import {
  AGENT_NAMES,
  ConfigFileSchema,
  createDefaultPlan,
  type AgentName,
  type BudgetConfig,
  type LogEntry,
  type Plan,
  type ToolCallChecker,
} from '../../src/domain/index.js';
import { startSession, type RunningSession } from '../../src/runtime/start-session.js';
import { openDatabase } from '../../src/store/database.js';
import { readEvents } from '../../src/store/event-reader.js';
import { expectNoLeftovers } from './processes.js';

export const SIM = resolve('dist/adapters/sim/main.js');

export interface SimSessionOptions {
  /** Scenario per agent; agents without one run a plain successful scenario. */
  scenarios?: Partial<Record<AgentName, object>>;
  /** Agents whose command is a binary that does not exist. */
  missing?: AgentName[];
  agents?: AgentName[];
  plan?: Plan;
  timeouts?: { idleSeconds?: number; phaseSeconds?: number; stopGraceSeconds?: number };
  maxLineBytes?: number;
  /** Recovery settings; recovery is off unless a test turns it on, so other tests see their failures as they are. */
  recovery?: { enabled?: boolean; maxAttempts?: number; maxRestarts?: number; periodSeconds?: number; backoffSeconds?: number };
  /** Policy settings (allowed roots, resource limits, budgets, ...). */
  policy?: {
    roots?: string[];
    limits?: { memoryMb?: number; cpuSeconds?: number };
    budgets?: { session?: BudgetConfig; agent?: BudgetConfig };
  };
  /** Decides each tool call the agents report (a test's fake policy). */
  checker?: ToolCallChecker;
  extraDirs?: string[];
  trustWorktree?: boolean;
  /** Review settings; reviews are off unless a test turns them on, so other tests see only their phases. */
  review?: { enabled?: boolean; maxRounds?: number; reviewerSeconds?: number; intervalMinutes?: number; onUnresolved?: 'escalate' | 'continue' };
}

const OK = { steps: [{ say: 'working' }, { write: { path: 'out.txt', content: 'done\n' } }, { say: 'all done' }] };

/** A session on simulated agents in a fresh repository, with everything it logged. */
export interface SimSession {
  session: RunningSession;
  entries: LogEntry[];
  dir: string;
  /** The workspace database. */
  dbPath: string;
  /** The events the store holds for this session, read back from the database. */
  storedEvents(): LogEntry[];
  /** Every process group the session started, from its log. */
  groups(): number[];
  cleanup(): Promise<void>;
}

// Starts a real session whose agents are the simulated agent running the given scenarios.
export async function startSimSession(options: SimSessionOptions = {}): Promise<SimSession> {
  const dir = await mkdtemp(join(tmpdir(), 'orchestrate-session-'));
  const target = join(dir, 'repo');
  await writeDemoRepository(target);
  await initRepository(target);
  const agents: Record<string, { command: string[] }> = {};
  for (const agent of AGENT_NAMES) {
    const file = join(dir, `${agent}.json`);
    await writeFile(file, JSON.stringify(options.scenarios?.[agent] ?? OK));
    agents[agent] = options.missing?.includes(agent)
      ? { command: [join(dir, `no-such-${agent}`)] }
      : { command: [process.execPath, SIM, '--vendor', agent, '--scenario', file, '--'] };
  }
  const config = ConfigFileSchema.parse({
    agents,
    timeouts: { idleSeconds: 20, phaseSeconds: 60, stopGraceSeconds: 1, ...options.timeouts },
    review: { enabled: false, reviewerSeconds: 20, ...options.review },
    recovery: { enabled: false, backoffSeconds: 0.05, ...options.recovery },
    // Simulated agents have no OS sandbox of their own: they run without one, as the user may allow.
    policy: { sandbox: 'off', ...options.policy },
    ...(options.extraDirs ? { extraDirs: options.extraDirs } : {}),
    ...(options.trustWorktree === undefined ? {} : { trustWorktree: options.trustWorktree }),
    ...(options.maxLineBytes ? { maxLineBytes: options.maxLineBytes } : {}),
  });
  const session = await startSession({
    task: 'add a farewell function',
    target,
    workspace: join(dir, 'workspace'),
    config,
    plan: options.plan ?? createDefaultPlan(),
    agents: options.agents ?? [...AGENT_NAMES],
    watchdogScript: resolve('dist/adapters/process/watchdog-main.js'),
    mcpServerScript: resolve('dist/adapters/mcp/server-main.js'),
    checker: options.checker,
  });
  const entries: LogEntry[] = [];
  session.log.subscribe((entry) => entries.push(entry));
  session.start();
  const groups = () => entries.flatMap((e) => (e.type === 'process.spawned' ? [e.pgid] : []));
  const dbPath = join(dir, 'workspace', 'orchestrate.db');
  return {
    session,
    entries,
    dir,
    dbPath,
    storedEvents() {
      const db = openDatabase(dbPath, { readonly: true });
      try {
        return readEvents(db, session.sessionId);
      } finally {
        db.close();
      }
    },
    groups,
    async cleanup() {
      try {
        await expectNoLeftovers(groups());
      } finally {
        session.stop();
        await Promise.race([session.done.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 15_000))]);
        session.dispose();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A one-phase plan, for tests about a single worker. */
export function singlePhasePlan(agent: AgentName = 'claude'): Plan {
  const phase = createDefaultPlan().phases[1]!;
  return { phases: [{ ...phase, preferredAgent: agent }] };
}
