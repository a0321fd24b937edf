/*
 * One real CLI run under a launch policy, for the sandbox contract tests: the adapter's command line
 * with its policy files written, in a throw-away git repository, against the loopback fake provider.
 */
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { getAdapter } from '../../src/adapters/agents/index.js';
import type { CommandLine, LaunchPolicy, LaunchSpec } from '../../src/adapters/agents/types.js';
import { writeCommandFiles } from '../../src/adapters/process/command-files.js';
import type { AgentName } from '../../src/domain/index.js';
import { requireAgentCli } from '../support/agent-clis.js';
import { startMockProvider, type MockProvider, type MockProviderOptions } from '../support/mock-provider.js';
import { describeRun, makeSandbox, minimalEnv, providerEnv, runCli, type CliRun, type Sandbox } from './harness.js';

export const MODELS: Record<AgentName, string> = { claude: 'claude-sonnet-4-5', codex: 'gpt-5.5', gemini: 'gemini-2.5-flash' };

/** The directories of one run: the worktree, an extra directory, a policy root, a secret and a place outside every root. */
export interface PolicyDirs {
  sandbox: Sandbox;
  extraDir: string;
  policyRoot: string;
  secretDir: string;
  outside: string;
}

export function makePolicyDirs(agent: AgentName): PolicyDirs {
  const sandbox = makeSandbox(agent);
  const dir = (name: string) => {
    const full = path.join(sandbox.root, name);
    mkdirSync(full, { recursive: true });
    return full;
  };
  const secretDir = dir('secrets');
  writeFileSync(path.join(secretDir, 'key'), 'not for agents\n');
  return { sandbox, extraDir: dir('extra'), policyRoot: dir('policy-root'), secretDir, outside: dir('outside') };
}

/** A session's policy for these directories: sandbox required, no network, the usual rules. */
export function policyFor(dirs: PolicyDirs, overrides: Partial<LaunchPolicy> = {}): LaunchPolicy {
  const work = dirs.sandbox.workdir;
  return {
    sandbox: 'required',
    writableRoots: [work, dirs.extraDir, dirs.policyRoot],
    network: false,
    denyCommands: ['git push', 'rm -rf'],
    askCommands: ['npm publish'],
    protectedPaths: ['.claude', '.codex', '.gemini', '.mcp.json', '.git/hooks'].map((name) => path.join(work, name)),
    secretPaths: [dirs.secretDir],
    ...overrides,
  };
}

export interface PolicyRun {
  run: CliRun;
  cmd: CommandLine;
  provider: MockProvider;
  /** The run, its command line and the provider's requests, for assertion messages. */
  why: string;
}

/** How a run's machine differs: variables over the run's own, a command the CLI is started through. */
export interface RunSetting {
  env?: Record<string, string>;
  wrap?: string[];
}

/**
 * Runs the agent's real CLI once: `policy` compiled by its adapter, the provider playing `options`
 * (the "full" scenario's command and file name script what the model tries).
 */
export async function runUnderPolicy(
  agent: AgentName,
  dirs: PolicyDirs,
  policy: LaunchPolicy,
  options: MockProviderOptions = {},
  { env = {}, wrap = [] }: RunSetting = {},
): Promise<PolicyRun> {
  const cli = requireAgentCli(agent);
  const provider = await startMockProvider({ workdir: dirs.sandbox.workdir, ...options });
  try {
    const adapter = getAdapter(agent);
    const spec: LaunchSpec = {
      prompt: 'Run the scripted shell command, then create the file and edit it.',
      cwd: dirs.sandbox.workdir,
      extraDirs: [dirs.extraDir],
      model: MODELS[agent],
      skipTrust: true,
      maxTurns: 20,
      policy,
      filesDir: path.join(dirs.sandbox.root, 'run-files'),
    };
    const cmd = adapter.buildCommand(spec, [...wrap, ...cli.command]);
    writeCommandFiles(cmd.files);
    const fullEnv = { ...minimalEnv(dirs.sandbox.home), ...providerEnv(agent, dirs.sandbox, provider), ...cmd.env, ...env };
    const run = await runCli(cmd, fullEnv, adapter.createNormalizer());
    const requests = provider.requests.map((q) => `${q.method} ${q.url} -> ${q.answer}`).join('\n');
    const why = `\n--- command\n${JSON.stringify({ args: cmd.args, files: cmd.files })}\n${describeRun(run)}\n--- provider requests\n${requests}\n`;
    if (process.env.ORCHESTRATE_CONTRACT_DEBUG === '1') console.log(why);
    return { run, cmd, provider, why };
  } finally {
    await provider.close();
  }
}

/**
 * A PATH directory holding links to the system's programs, less `without`, plus `fakes` (name → shell
 * script body): how a machine without bubblewrap, or with a broken one, looks to a CLI.
 */
export function makePath(root: string, without: readonly string[], fakes: Record<string, string> = {}): string {
  const bin = path.join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const program of ['sh', 'bash', 'git', 'env', 'cat', 'ls', 'touch', 'echo', 'true', 'curl', 'node']) {
    if (without.includes(program)) continue;
    const target = ['/usr/bin', '/bin', '/usr/local/bin'].map((d) => path.join(d, program)).find((p) => existsSync(p));
    if (target) symlinkSync(target, path.join(bin, program));
  }
  for (const [name, body] of Object.entries(fakes)) writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return bin;
}

/** A loopback HTTP server that answers 200, to see whether a sandboxed command reaches the network. */
export async function startEchoServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.end('pong'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/**
 * Runs a command in a user namespace that may not create any more of them, as in a container that does
 * not allow unprivileged user namespaces: bubblewrap then fails to set up its sandbox, as it does there.
 */
export const WITHOUT_USER_NAMESPACES = ['/usr/bin/unshare', '--user', '--map-root-user', 'sh', '-c', 'echo 0 > /proc/sys/user/max_user_namespaces && exec "$@"', 'without-userns'];
