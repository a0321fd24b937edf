/*
 * Contract: the launch policy (LaunchSpec.policy) as each REAL CLI's own sandbox and permission flags.
 * Every combination the policy produces is accepted and the run completes, or, where the sandbox cannot
 * exist on this machine, fails exactly as classified; and where the CLI enforces it here, what the
 * policy forbids (a write outside the roots, to the agents' own configuration, a denied command, the
 * network) is really refused. The fake provider scripts the attempts through the "full" scenario's
 * shell command and file name.
 *
 * Claude Code's sandbox needs bubblewrap and socat (.ci/run installs them); Codex brings its own
 * bubblewrap; Gemini CLI needs docker or podman with a running daemon, so here it cannot be sandboxed.
 * Needs the pinned CLIs (scripts/install-agent-clis.sh). ORCHESTRATE_CONTRACT_DEBUG=1 prints each run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getAdapter } from '../../src/adapters/agents/index.js';
import { createLaunchPolicy } from '../../src/adapters/agents/shared/launch-policy.js';
import type { LaunchPolicy } from '../../src/adapters/agents/types.js';
import { probeSandbox } from '../../src/adapters/probe/sandbox-probe.js';
import { writeCommandFiles } from '../../src/adapters/process/command-files.js';
import { AGENT_NAMES, ConfigFileSchema, resolvePolicy, reviewAnswerJsonSchema, type AgentName } from '../../src/domain/index.js';
import { requireAgentCli } from '../support/agent-clis.js';
import { startMockProvider } from '../support/mock-provider.js';
import { describeRun, eventsOf, minimalEnv, providerEnv, runCli, RUN_TIMEOUT_MS } from './harness.js';
import {
  makePath,
  makePolicyDirs,
  MODELS,
  policyFor,
  runUnderPolicy,
  startEchoServer,
  WITHOUT_USER_NAMESPACES,
  type PolicyDirs,
  type PolicyRun,
} from './policy-run.js';

const TEST_TIMEOUT_MS = RUN_TIMEOUT_MS + 30_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

function dirsFor(agent: AgentName): PolicyDirs {
  const dirs = makePolicyDirs(agent);
  cleanups.push(() => dirs.sandbox.cleanup());
  return dirs;
}

// Whether this CLI's sandbox can run on this machine, as the availability probe finds it.
async function sandboxWorksHere(agent: AgentName, env: Record<string, string>): Promise<{ ok: boolean; reason?: string }> {
  return probeSandbox(getAdapter(agent), requireAgentCli(agent).command, env);
}

function expectCompleted(r: PolicyRun, dirs: PolicyDirs): void {
  expect(r.run.timedOut, r.why).toBe(false);
  expect(r.run.exit, r.why).toEqual({ exitCode: 0, signal: null });
  expect(eventsOf(r.run, 'agent.result').map((e) => e.success), r.why).toEqual([true]);
  expect(readFileSync(path.join(dirs.sandbox.workdir, r.provider.fileName), 'utf8'), r.why).toBe(r.provider.fileContents.edited);
  // Gemini skips a policy rule it cannot load with only a line on stderr.
  expect(r.run.stderr, r.why).not.toMatch(/Policy file error/);
}

function expectSandboxUnavailable(r: PolicyRun): void {
  expect(r.run.timedOut, r.why).toBe(false);
  expect(r.run.exit.exitCode, r.why).not.toBe(0);
  expect(eventsOf(r.run, 'agent.error').map((e) => e.code), r.why).toContain('AGENT_SANDBOX_UNAVAILABLE');
  expect(r.provider.requests.filter((q) => q.answer.startsWith('main:')), `the model was never asked${r.why}`).toEqual([]);
}

// The shell output of the scripted command (the first shell tool result).
function shellOutput(r: PolicyRun): string {
  const call = eventsOf(r.run, 'agent.toolCall').find((e) => e.kind === 'shell');
  return eventsOf(r.run, 'agent.toolResult').find((e) => e.callId === call?.callId)?.output ?? '';
}

const COMBINATIONS: [string, Partial<LaunchPolicy>][] = [
  ['sandbox required, network off', {}],
  ['sandbox required, network on', { network: true }],
  ['sandbox off, network off', { sandbox: 'off' }],
  ['sandbox off, network on', { sandbox: 'off', network: true }],
];

describe.each(AGENT_NAMES)('%s CLI (real binary) under a launch policy', (agent) => {
  it.each(COMBINATIONS)('accepts %s, with deny and ask rules and extra writable roots', async (_name, overrides) => {
    const dirs = dirsFor(agent);
    const policy = policyFor(dirs, overrides);
    const r = await runUnderPolicy(agent, dirs, policy);
    const found = await sandboxWorksHere(agent, minimalEnv(dirs.sandbox.home));
    // Claude and Codex must be sandboxed here; Gemini only where a container runtime answers.
    if (agent !== 'gemini') expect(found, 'the sandbox works on this machine (bubblewrap and socat installed)').toEqual({ ok: true });
    if (policy.sandbox === 'required' && !found.ok) expectSandboxUnavailable(r);
    else expectCompleted(r, dirs);
  }, TEST_TIMEOUT_MS);
});

describe.each(AGENT_NAMES)('%s CLI (real binary) under the built-in session policy', (agent) => {
  it('runs the full scenario with every default rule and protected path compiled by its adapter', async () => {
    const dirs = dirsFor(agent);
    const work = dirs.sandbox.workdir;
    const effective = resolvePolicy(ConfigFileSchema.parse({}), {
      worktree: work,
      workspace: dirs.sandbox.root,
      target: work,
      extraDirs: [dirs.extraDir],
      home: dirs.sandbox.home,
      tempDirs: [tmpdir()],
    });
    // Where the sandbox cannot run (Gemini here), as with policy.sandbox "off".
    const found = await sandboxWorksHere(agent, minimalEnv(dirs.sandbox.home));
    const r = await runUnderPolicy(agent, dirs, createLaunchPolicy(effective, !found.ok));
    expectCompleted(r, dirs);
    expect(eventsOf(r.run, 'agent.toolResult').map((e) => e.ok), r.why).toEqual([true, true, true]);
  }, TEST_TIMEOUT_MS);
});

describe('Claude Code and Codex hold the writable roots in their sandboxes', () => {
  it.each(['claude', 'codex'] as const)('%s blocks a command writing outside the writable roots, and lets it write in every root', async (agent) => {
    const dirs = dirsFor(agent);
    const command = `touch ${dirs.outside}/out.txt; touch ${dirs.extraDir}/extra.txt; touch ${dirs.policyRoot}/root.txt; echo done`;
    const r = await runUnderPolicy(agent, dirs, policyFor(dirs), { command });
    expectCompleted(r, dirs);
    expect(shellOutput(r), r.why).toMatch(/out\.txt.*Read-only file system/);
    expect(existsSync(path.join(dirs.outside, 'out.txt')), r.why).toBe(false);
    expect(existsSync(path.join(dirs.extraDir, 'extra.txt')), r.why).toBe(true);
    expect(existsSync(path.join(dirs.policyRoot, 'root.txt')), r.why).toBe(true);
  }, TEST_TIMEOUT_MS);
});

describe('Claude Code holds the policy in its sandbox and permission rules', () => {
  it('keeps the agents\' own configuration in the worktree from both its file tools and its commands', async () => {
    const dirs = dirsFor('claude');
    const work = dirs.sandbox.workdir;
    const command = `echo x > ${work}/.mcp.json; mkdir -p ${work}/.codex && echo x > ${work}/.codex/config.toml; echo x > ${work}/.git/hooks/pre-commit; echo done`;
    const r = await runUnderPolicy('claude', dirs, policyFor(dirs), { command, fileName: '.claude/settings.json' });
    expect(r.run.exit.exitCode, r.why).toBe(0);
    // The CLI guards .claude/ itself: a write there needs a permission nobody can grant in -p mode.
    const refused = eventsOf(r.run, 'agent.toolResult').filter((e) => !e.ok).map((e) => e.output ?? '');
    expect(refused.some((text) => /write to \S+\/\.claude\/settings\.json, but you haven't granted it yet/.test(text)), r.why).toBe(true);
    // The policy's Edit rules guard the other agents' configuration.
    const codex = await runUnderPolicy('claude', dirs, policyFor(dirs), { fileName: '.codex/config.toml' });
    const denied = eventsOf(codex.run, 'agent.toolResult').filter((e) => !e.ok).map((e) => e.output ?? '');
    expect(denied.some((text) => /denied by your permission settings/.test(text)), codex.why).toBe(true);
    for (const file of ['.claude/settings.json', '.mcp.json', '.codex/config.toml', '.git/hooks/pre-commit']) {
      expect(existsSync(path.join(work, file)), `${file}${r.why}`).toBe(false);
    }
  }, 2 * TEST_TIMEOUT_MS);

  it.each([
    ['a denied command', 'git push origin main'],
    ['a command a person must approve', 'npm publish --dry-run'],
  ])('refuses %s', async (_name, command) => {
    const dirs = dirsFor('claude');
    const r = await runUnderPolicy('claude', dirs, policyFor(dirs), { command });
    expectCompleted(r, dirs);
    expect(shellOutput(r), r.why).toBe(`Permission to use Bash with command ${command} has been denied.`);
  }, TEST_TIMEOUT_MS);

  it('hides the secret paths from its commands', async () => {
    const dirs = dirsFor('claude');
    const r = await runUnderPolicy('claude', dirs, policyFor(dirs), { command: `cat ${dirs.secretDir}/key; echo status=$?` });
    expectCompleted(r, dirs);
    expect(shellOutput(r), r.why).not.toContain('not for agents');
    expect(shellOutput(r), r.why).toContain('status=1');
  }, TEST_TIMEOUT_MS);

  it.each([
    [false, 'http=403'],
    [true, 'http=200'],
  ])('with network %s, its sandbox\'s proxy answers %s', async (network, answer) => {
    const server = await startEchoServer();
    cleanups.push(() => server.close());
    const dirs = dirsFor('claude');
    // Commands reach the network only through the sandbox's proxy, which holds the host list.
    const command = `curl -s -m 5 --noproxy '' -o /dev/null -w 'http=%{http_code}' ${server.url}`;
    const r = await runUnderPolicy('claude', dirs, policyFor(dirs, { network }), { command });
    expectCompleted(r, dirs);
    expect(shellOutput(r), r.why).toBe(answer);
  }, TEST_TIMEOUT_MS);
});

describe('Codex holds the policy in its sandbox', () => {
  it('keeps its own configuration and the git hooks read-only', async () => {
    const dirs = dirsFor('codex');
    const work = dirs.sandbox.workdir;
    const command = `echo x > ${work}/.git/hooks/pre-commit; echo done`;
    const r = await runUnderPolicy('codex', dirs, policyFor(dirs), { command, fileName: '.codex/config.toml' });
    expect(r.run.exit.exitCode, r.why).toBe(0);
    expect(eventsOf(r.run, 'agent.error').map((e) => e.code), `the rejected patch${r.why}`).toContain('AGENT_PERMISSION_DENIED');
    expect(existsSync(path.join(work, '.codex', 'config.toml')), r.why).toBe(false);
    expect(existsSync(path.join(work, '.git', 'hooks', 'pre-commit')), r.why).toBe(false);
  }, TEST_TIMEOUT_MS);

  it.each([
    [false, 'http=000'],
    [true, 'http=200'],
  ])('with network %s, a command gets %s', async (network, answer) => {
    const server = await startEchoServer();
    cleanups.push(() => server.close());
    const dirs = dirsFor('codex');
    const r = await runUnderPolicy('codex', dirs, policyFor(dirs, { network }), { command: `curl -s -m 5 -o /dev/null -w 'http=%{http_code}' ${server.url}` });
    expectCompleted(r, dirs);
    expect(shellOutput(r), r.why).toContain(answer);
  }, TEST_TIMEOUT_MS);
});

describe('Gemini CLI holds the policy\'s rules (run unsandboxed: no container runtime here)', () => {
  it.each([
    ['a denied command', 'git push origin main'],
    ['a command a person must approve', 'npm publish --dry-run'],
  ])('refuses %s', async (_name, command) => {
    const dirs = dirsFor('gemini');
    const r = await runUnderPolicy('gemini', dirs, policyFor(dirs, { sandbox: 'off' }), { command });
    expectCompleted(r, dirs);
    expect(shellOutput(r), r.why).toMatch(/^Tool execution denied by policy\./);
  }, TEST_TIMEOUT_MS);

  it('refuses a write to the agents\' own configuration in the worktree', async () => {
    const dirs = dirsFor('gemini');
    const r = await runUnderPolicy('gemini', dirs, policyFor(dirs, { sandbox: 'off' }), { fileName: '.claude/settings.json' });
    expect(r.run.exit.exitCode, r.why).toBe(0);
    expect(r.run.stderr, r.why).not.toMatch(/Policy file error/);
    const writes = eventsOf(r.run, 'agent.toolCall').filter((e) => e.kind === 'write' || e.kind === 'edit');
    const results = eventsOf(r.run, 'agent.toolResult').filter((e) => writes.some((w) => w.callId === e.callId));
    expect(results.map((e) => e.ok), r.why).toEqual([false, false]);
    expect(results[0]?.output, r.why).toMatch(/denied by policy/);
    expect(existsSync(path.join(dirs.sandbox.workdir, '.claude', 'settings.json')), r.why).toBe(false);
  }, TEST_TIMEOUT_MS);
});

describe('an agent whose sandbox cannot run here', () => {
  it('Claude Code without bubblewrap and socat refuses to start when the sandbox is required, and warns and runs when it is off', async () => {
    const dirs = dirsFor('claude');
    const env = { PATH: makePath(dirs.sandbox.root, ['bwrap', 'socat']) };
    const required = await runUnderPolicy('claude', dirs, policyFor(dirs), { scenario: 'text' }, { env });
    expectSandboxUnavailable(required);
    expect(eventsOf(required.run, 'agent.error')[0]?.message, required.why).toMatch(/^Sandbox required but unavailable: .*bubblewrap \(bwrap\) not installed, socat not installed/);
    expect(await sandboxWorksHere('claude', env)).toMatchObject({ ok: false, reason: expect.stringMatching(/socat is not installed/) });

    const off = await runUnderPolicy('claude', dirs, policyFor(dirs, { sandbox: 'off' }), { scenario: 'text' }, { env });
    expect(off.run.exit, off.why).toEqual({ exitCode: 0, signal: null });
    expect(off.run.stderr, off.why).toContain('Commands will run WITHOUT sandboxing');
  }, 2 * TEST_TIMEOUT_MS);

  it('Codex where user namespaces are not allowed: the probe finds it, and a run would only see every command fail', async () => {
    const dirs = dirsFor('codex');
    const env = { ...minimalEnv(dirs.sandbox.home), CODEX_HOME: dirs.sandbox.codexHome };
    const found = await probeSandbox(getAdapter('codex'), [...WITHOUT_USER_NAMESPACES, ...requireAgentCli('codex').command], env);
    expect(found).toMatchObject({ ok: false, reason: expect.stringMatching(/user namespaces.*\(bwrap: Creating new namespace failed/) });
    // Codex itself starts, and never says its sandbox is missing: only its commands fail.
    const r = await runUnderPolicy('codex', dirs, policyFor(dirs), {}, { wrap: WITHOUT_USER_NAMESPACES });
    expect(r.run.exit, r.why).toEqual({ exitCode: 0, signal: null });
    expect(shellOutput(r), r.why).toMatch(/^bwrap: Creating new namespace failed/);
  }, TEST_TIMEOUT_MS);

  it('Claude Code with a bubblewrap that cannot start: the probe finds it, which the CLI\'s own check does not', async () => {
    const dirs = dirsFor('claude');
    // As bubblewrap fails for a user without unprivileged user namespaces (here, root may nest them).
    const bwrap = 'echo "bwrap: No permissions to create a new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2; exit 1';
    const env = { PATH: makePath(dirs.sandbox.root, ['bwrap'], { bwrap, socat: 'exec /usr/bin/socat "$@"' }) };
    expect(await sandboxWorksHere('claude', env)).toMatchObject({ ok: false, reason: expect.stringMatching(/\(bwrap: No permissions to create a new namespace/) });
    // sandbox.failIfUnavailable looks only for the programs: the run starts and its commands fail.
    const r = await runUnderPolicy('claude', dirs, policyFor(dirs), {}, { env });
    expect(r.run.exit, r.why).toEqual({ exitCode: 0, signal: null });
    expect(shellOutput(r), r.why).toMatch(/bwrap: No permissions to create a new namespace/);
  }, TEST_TIMEOUT_MS);

  it('Gemini CLI without docker or podman exits 44 before its first line when the sandbox is required', async () => {
    const dirs = dirsFor('gemini');
    const env = { PATH: makePath(dirs.sandbox.root, ['docker', 'podman']) };
    const r = await runUnderPolicy('gemini', dirs, policyFor(dirs), { scenario: 'text' }, { env });
    expectSandboxUnavailable(r);
    expect(r.run.exit.exitCode, r.why).toBe(44);
    expect(await sandboxWorksHere('gemini', env)).toMatchObject({ ok: false, reason: expect.stringMatching(/neither docker nor podman is installed/) });
  }, TEST_TIMEOUT_MS);
});

describe.each(['claude', 'gemini'] as const)('%s CLI (real binary) as a reviewer kept from the secret paths', (agent) => {
  it('accepts the read rules and answers', async () => {
    const dirs = dirsFor(agent);
    const provider = await startMockProvider({ scenario: 'review', workdir: dirs.sandbox.workdir });
    cleanups.push(() => provider.close());
    const adapter = getAdapter(agent);
    const cmd = adapter.buildReviewCommand(
      {
        prompt: 'Review the work in this worktree. Answer with the verdict JSON only.',
        cwd: dirs.sandbox.workdir,
        extraDirs: [],
        model: MODELS[agent],
        skipTrust: true,
        schema: reviewAnswerJsonSchema(),
        filesDir: path.join(dirs.sandbox.root, 'review-files'),
        policy: { secretPaths: [dirs.secretDir, path.join(dirs.sandbox.home, '.ssh')] },
      },
      requireAgentCli(agent).command,
    );
    writeCommandFiles(cmd.files);
    const env = { ...minimalEnv(dirs.sandbox.home), ...providerEnv(agent, dirs.sandbox, provider), ...cmd.env };
    const run = await runCli(cmd, env, adapter.createNormalizer());
    const why = describeRun(run);
    expect(cmd.args, why).toContain(agent === 'claude' ? '--settings' : '--policy');
    expect(run.exit, why).toEqual({ exitCode: 0, signal: null });
    expect(run.stderr, why).not.toMatch(/Policy file error/);
    expect(eventsOf(run, 'agent.result').map((e) => e.success), why).toEqual([true]);
  }, TEST_TIMEOUT_MS);
});

describe('the sandbox probes against the real CLIs on this machine', () => {
  it('Codex\'s own sandbox starts and holds: the canary writes inside and not outside', async () => {
    const dirs = dirsFor('codex');
    expect(await sandboxWorksHere('codex', { ...minimalEnv(dirs.sandbox.home), CODEX_HOME: dirs.sandbox.codexHome })).toEqual({ ok: true });
  }, TEST_TIMEOUT_MS);
});
