/*
 * Harness for the contract tests: runs a REAL agent CLI (installed by scripts/install-agent-clis.sh)
 * with the command line our adapter builds, in a throw-away git repository, with an isolated home
 * and its provider pointed at the loopback fake (test/support/mock-provider.ts).
 */
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentEventBody, AgentEventOf, AgentEventType, AgentName } from '../../src/domain/index.js';
import type { CommandLine, ProcessExit, StreamNormalizer } from '../../src/adapters/agents/types.js';
import { contractRunsDir } from '../support/agent-clis.js';
import type { MockProvider } from '../support/mock-provider.js';

/** Hard limit for one CLI run; the process group is killed when it is reached. */
export const RUN_TIMEOUT_MS = 60_000;

export interface Sandbox {
  root: string;
  /** The agent's cwd: a fresh git repository with one commit. */
  workdir: string;
  /** HOME for the agent (Claude keeps ~/.claude here, Gemini ~/.gemini via GEMINI_CLI_HOME). */
  home: string;
  /** CODEX_HOME. Not under the OS temp dir: Codex refuses to create its helper binaries there. */
  codexHome: string;
  cleanup(): void;
}

/**
 * Creates the directories of one test under contractRunsDir() (<repo>/.cache/contract-runs/). Set
 * ORCHESTRATE_KEEP_CONTRACT_RUNS=1 to keep them for inspection.
 */
export function makeSandbox(agent: AgentName): Sandbox {
  const base = contractRunsDir();
  mkdirSync(base, { recursive: true });
  const root = mkdtempSync(path.join(base, `${agent}-`));
  const workdir = path.join(root, 'work');
  const home = path.join(root, 'home');
  const codexHome = path.join(root, 'codex-home');
  for (const d of [workdir, home, codexHome]) mkdirSync(d, { recursive: true });

  const gitEnv = { ...minimalEnv(home), GIT_CONFIG_NOSYSTEM: '1' };
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: workdir, env: gitEnv, stdio: 'ignore' });
  };
  git('init', '-q');
  writeFileSync(path.join(workdir, 'README.md'), '# contract test workspace\n');
  git('add', 'README.md');
  git('-c', 'user.name=contract', '-c', 'user.email=contract@example.invalid', 'commit', '-q', '-m', 'init');

  return {
    root,
    workdir,
    home,
    codexHome,
    cleanup() {
      if (process.env.ORCHESTRATE_KEEP_CONTRACT_RUNS === '1') return;
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A scrubbed environment: no API keys or config of the developer's own leak into the agent. */
export function minimalEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
  };
  for (const key of ['SHELL', 'TMPDIR', 'USER', 'LOGNAME', 'SYSTEMROOT']) {
    const v = process.env[key];
    if (v !== undefined) env[key] = v;
  }
  return env;
}

export const API_KEYS = {
  claude: 'sk-ant-contract-test',
  codex: 'sk-contract-test',
  gemini: 'contract-test-key',
} as const;

/** The name of the variable the Codex provider entry reads its key from. */
export const CODEX_KEY_VAR = 'ORCHESTRATE_CONTRACT_API_KEY';

/**
 * Points one CLI at the fake provider: environment variables, plus the config files that CLI
 * reads from its isolated home. The adapter's own command line is left untouched.
 */
export function providerEnv(agent: AgentName, sandbox: Sandbox, provider: MockProvider): Record<string, string> {
  switch (agent) {
    case 'claude':
      return {
        ANTHROPIC_BASE_URL: provider.url,
        ANTHROPIC_API_KEY: API_KEYS.claude,
        // No retries on API errors (the 401 test would otherwise back off for a while).
        CLAUDE_CODE_MAX_RETRIES: '0',
        // Hermetic: no telemetry, error reporting or update checks leave the machine.
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_AUTOUPDATER: '1',
      };
    case 'codex': {
      // A custom model provider with wire_api "responses" (plain HTTPS + SSE, no WebSocket), set in
      // CODEX_HOME/config.toml so the adapter's argv stays exactly what it built.
      const config = [
        'model_provider = "contract"',
        '',
        '[model_providers.contract]',
        'name = "contract fake provider"',
        `base_url = "${provider.url}/v1"`,
        `env_key = "${CODEX_KEY_VAR}"`,
        'wire_api = "responses"',
        '',
      ].join('\n');
      writeFileSync(path.join(sandbox.codexHome, 'config.toml'), config);
      return { CODEX_HOME: sandbox.codexHome, [CODEX_KEY_VAR]: API_KEYS.codex };
    }
    case 'gemini': {
      // GOOGLE_GEMINI_BASE_URL alone selects the "gateway" auth type, which headless mode rejects;
      // selectedType "gemini-api-key" in the user settings makes it use GEMINI_API_KEY against it.
      const settingsDir = path.join(sandbox.home, '.gemini');
      mkdirSync(settingsDir, { recursive: true });
      const settings = {
        security: { auth: { selectedType: 'gemini-api-key' } },
        general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
        privacy: { usageStatisticsEnabled: false },
      };
      writeFileSync(path.join(settingsDir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
      // Gemini drops gemini-client-error-*.json reports into the temp dir: keep them in the sandbox.
      const tmp = path.join(sandbox.root, 'tmp');
      mkdirSync(tmp, { recursive: true });
      return { GEMINI_CLI_HOME: sandbox.home, GOOGLE_GEMINI_BASE_URL: provider.url, GEMINI_API_KEY: API_KEYS.gemini, TMPDIR: tmp };
    }
  }
}

export interface CliRun {
  /** Every stdout line, in order. */
  lines: string[];
  /** The normalizer's events: from push() for each line, then from finish(). */
  events: AgentEventBody[];
  exit: ProcessExit;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

const STDERR_CAP = 64 * 1024;

/**
 * Spawns `cmd` exactly as built (file, args, cwd), with `env` as the whole environment, stdin
 * closed, in its own process group. Feeds stdout lines to the normalizer. The group is SIGKILLed on
 * timeout and, in any case, once the run is over (Gemini may leave a relaunched child behind).
 */
export async function runCli(cmd: CommandLine, env: Record<string, string>, normalizer: StreamNormalizer, timeoutMs = RUN_TIMEOUT_MS): Promise<CliRun> {
  const started = Date.now();
  const child = spawn(cmd.file, cmd.args, { cwd: cmd.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const pid = child.pid;
  const killGroup = (): void => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };

  const lines: string[] = [];
  const events: AgentEventBody[] = [];
  let stderr = '';
  let timedOut = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_CAP);
  });
  const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });
  rl.on('line', (line) => {
    lines.push(line);
    events.push(...normalizer.push(line));
  });

  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, timeoutMs);
  try {
    const exit = await new Promise<ProcessExit>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve({ exitCode: code, signal }));
      // After the main process exits, nothing else of the group may hold the pipes open.
      child.once('exit', () => killGroup());
    });
    events.push(...normalizer.finish(exit, stderr.slice(-4096)));
    return { lines, events, exit, stderr, timedOut, durationMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
    killGroup();
  }
}

export function eventsOf<T extends AgentEventType>(run: CliRun, type: T): AgentEventOf<T>[] {
  return run.events.filter((e): e is AgentEventOf<T> => e.type === type);
}

/** A compact dump of a run for assertion messages. */
export function describeRun(run: CliRun): string {
  const stdout = run.lines.map((l) => (l.length > 400 ? `${l.slice(0, 400)}…` : l)).join('\n');
  return [
    `exit=${JSON.stringify(run.exit)} timedOut=${run.timedOut} durationMs=${run.durationMs}`,
    `--- events\n${run.events.map((e) => JSON.stringify(e)).join('\n')}`,
    `--- stdout\n${stdout}`,
    `--- stderr (tail)\n${run.stderr.slice(-3000)}`,
  ].join('\n');
}
