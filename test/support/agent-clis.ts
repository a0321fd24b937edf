/*
 * Locates the real agent CLIs that scripts/install-agent-clis.sh installs into .cache/agent-clis/
 * at the repository root. They are not dependencies of the project; only the contract tests
 * (test/contract) run them.
 *
 * ORCHESTRATE_AGENT_CLIS_DIR overrides the folder (the install script honours it too).
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentName } from '../../src/domain/index.js';

/** The versions the contract tests were written against (REPORT.md in the agent-clis research). */
export const PINNED_VERSIONS: Readonly<Record<AgentName, string>> = {
  claude: '2.1.197',
  codex: '0.169.0',
  gemini: '0.61.0',
};

export const NPM_PACKAGES: Readonly<Record<AgentName, string>> = {
  claude: '@anthropic-ai/claude-code',
  codex: '@openai/codex',
  gemini: '@google/gemini-cli',
};

/** The repository root (this file is test/support/agent-clis.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where the contract tests' directories go: <repo>/.cache/contract-runs, unless the checkout lies in
 * a temporary directory. Codex will not set up its sandbox helper for a CODEX_HOME there ("Refusing to
 * create helper binaries under temporary dir"), and every sandboxed command and write then fails; the
 * runs then go below the home directory. ORCHESTRATE_CONTRACT_RUNS_DIR overrides both.
 */
export function contractRunsDir(): string {
  const override = process.env.ORCHESTRATE_CONTRACT_RUNS_DIR;
  if (override) return path.resolve(override);
  const inTemp = [tmpdir(), '/tmp'].filter(existsSync).some((temp) => !path.relative(realpathSync(temp), realpathSync(REPO_ROOT)).startsWith('..'));
  return inTemp ? path.join(homedir(), '.cache', 'orchestrate-contract-runs') : path.join(REPO_ROOT, '.cache', 'contract-runs');
}

export function agentClisDir(): string {
  const override = process.env.ORCHESTRATE_AGENT_CLIS_DIR;
  return override ? path.resolve(override) : path.join(REPO_ROOT, '.cache', 'agent-clis');
}

export interface InstalledCli {
  name: AgentName;
  version: string;
  /** The executable and any leading arguments, as an adapter's `buildCommand` takes it. */
  command: string[];
  packageDir: string;
}

export type CliLookup = { ok: true; cli: InstalledCli } | { ok: false; reason: string };

function entryPoint(name: AgentName, packageDir: string): string[] {
  switch (name) {
    case 'claude':
      // The postinstall script hard-links the native binary here.
      return [path.join(packageDir, 'bin', 'claude.exe')];
    case 'codex':
      // A small Node launcher that execve()s the platform's native binary.
      return [process.execPath, path.join(packageDir, 'bin', 'codex.js')];
    case 'gemini':
      return [process.execPath, path.join(packageDir, 'bundle', 'gemini.js')];
  }
}

export function findAgentCli(name: AgentName): CliLookup {
  const packageDir = path.join(agentClisDir(), 'node_modules', ...NPM_PACKAGES[name].split('/'));
  const pkgJson = path.join(packageDir, 'package.json');
  if (!existsSync(pkgJson)) return { ok: false, reason: `${NPM_PACKAGES[name]} is not installed in ${agentClisDir()}` };
  let version: string;
  try {
    version = String((JSON.parse(readFileSync(pkgJson, 'utf8')) as { version?: unknown }).version);
  } catch (err) {
    return { ok: false, reason: `cannot read ${pkgJson}: ${String(err)}` };
  }
  if (version !== PINNED_VERSIONS[name]) {
    return { ok: false, reason: `${NPM_PACKAGES[name]} ${version} is installed, the contract tests need ${PINNED_VERSIONS[name]}` };
  }
  const command = entryPoint(name, packageDir);
  const file = command[command.length - 1];
  if (file === undefined || !existsSync(file)) {
    return { ok: false, reason: `${NPM_PACKAGES[name]} is installed but ${file ?? 'its entry point'} is missing (did its postinstall run?)` };
  }
  return { ok: true, cli: { name, version, command, packageDir } };
}

/** The installed CLI, or an error that tells how to install it. Contract tests fail with it; they never skip. */
export function requireAgentCli(name: AgentName): InstalledCli {
  const found = findAgentCli(name);
  if (found.ok) return found.cli;
  throw new Error(
    `The ${name} agent CLI is not available for the contract tests: ${found.reason}.\n` +
      `Install the pinned agent CLIs first: run scripts/install-agent-clis.sh (from the repository root).`,
  );
}
