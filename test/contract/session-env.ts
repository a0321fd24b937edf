/*
 * The directories and the environment of a whole orchestrate session whose three agents are the
 * REAL CLIs, each pointed at its own loopback fake provider (test/support/mock-provider.ts).
 *
 * Unlike the harness (one CLI, one run), a session builds every agent's environment from ONE base
 * environment, scrubbed by src/adapters/process/environment.ts: so this base carries every vendor's
 * variables at once, and only under names that survive the scrubbing (no ORCHESTRATE_*).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentName } from '../../src/domain/index.js';
import { contractRunsDir } from '../support/agent-clis.js';
import type { MockProvider } from '../support/mock-provider.js';
import { API_KEYS, minimalEnv, providerEnv, type Sandbox } from './harness.js';

/** The Codex provider entry reads its key from here: a CODEX_* name, so the scrubbing keeps it. */
export const SESSION_CODEX_KEY_VAR = 'CODEX_CONTRACT_API_KEY';

export interface SessionSandbox {
  root: string;
  /** The session's target: a fresh git repository with one commit. */
  target: string;
  /** The session's workspace (worktrees, logs, database), inside the target. */
  workspace: string;
  /** HOME of every agent (Claude's ~/.claude; Gemini's ~/.gemini via GEMINI_CLI_HOME). */
  home: string;
  /** CODEX_HOME. Not under the OS temp dir: Codex refuses to create its helper binaries there. */
  codexHome: string;
  cleanup(): void;
}

/**
 * Creates the directories of one session under contractRunsDir() (<repo>/.cache/contract-runs/). Set
 * ORCHESTRATE_KEEP_CONTRACT_RUNS=1 to keep them for inspection.
 */
export function makeSessionSandbox(): SessionSandbox {
  const base = contractRunsDir();
  mkdirSync(base, { recursive: true });
  const root = mkdtempSync(path.join(base, 'session-'));
  const target = path.join(root, 'repo');
  const home = path.join(root, 'home');
  const codexHome = path.join(root, 'codex-home');
  for (const d of [target, home, codexHome]) mkdirSync(d, { recursive: true });

  const gitEnv = { ...minimalEnv(home), GIT_CONFIG_NOSYSTEM: '1' };
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: target, env: gitEnv, stdio: 'ignore' });
  };
  git('init', '-q');
  writeFileSync(path.join(target, 'README.md'), '# session contract test repository\n');
  git('add', 'README.md');
  git('-c', 'user.name=contract', '-c', 'user.email=contract@example.invalid', 'commit', '-q', '-m', 'init');

  return {
    root,
    target,
    workspace: path.join(target, '.orchestrate'),
    home,
    codexHome,
    cleanup() {
      if (process.env.ORCHESTRATE_KEEP_CONTRACT_RUNS === '1') return;
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * The base environment of the session: a minimal one with the isolated HOME, plus each vendor's
 * variables pointing that vendor's CLI at its own fake, plus the config files the CLIs read from
 * their isolated homes.
 */
export function sessionEnv(sandbox: SessionSandbox, providers: Readonly<Record<AgentName, MockProvider>>): NodeJS.ProcessEnv {
  // The harness's per-CLI settings, on a sandbox whose directories are the session's own.
  const shared: Sandbox = { root: sandbox.root, workdir: sandbox.target, home: sandbox.home, codexHome: sandbox.codexHome, cleanup: () => {} };
  // Codex: the same custom provider entry as the harness writes, but keyed by a variable the scrubbing keeps.
  const codexConfig = [
    'model_provider = "contract"',
    '',
    '[model_providers.contract]',
    'name = "contract fake provider"',
    `base_url = "${providers.codex.url}/v1"`,
    `env_key = "${SESSION_CODEX_KEY_VAR}"`,
    'wire_api = "responses"',
    '',
  ].join('\n');
  writeFileSync(path.join(sandbox.codexHome, 'config.toml'), codexConfig);
  return {
    ...minimalEnv(sandbox.home),
    ...providerEnv('claude', shared, providers.claude),
    ...providerEnv('gemini', shared, providers.gemini),
    CODEX_HOME: sandbox.codexHome,
    [SESSION_CODEX_KEY_VAR]: API_KEYS.codex,
  };
}
