/*
 * Contract: the agent channel with the REAL CLIs. Each CLI is given the orchestrator's MCP server exactly as a
 * session gives it (the adapter's command line, its files, its config overlay), against the loopback fake provider
 * scripted to make the model call report_milestone (Codex finds the tool through its tool_search first); the
 * orchestrator's end of the channel must receive the report, attributed to the worker whose secret the server
 * was started with.
 *
 * Needs the pinned CLIs (scripts/install-agent-clis.sh) and the built MCP server (`npx tsc -p tsconfig.build.json`).
 * ORCHESTRATE_CONTRACT_DEBUG=1 prints each run.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildChannelLaunch, type ChannelLaunch } from '../../src/actors/channel-launch.js';
import { getAdapter } from '../../src/adapters/agents/index.js';
import type { LaunchPolicy, LaunchSpec } from '../../src/adapters/agents/types.js';
import { createAgentChannel, type AgentChannel, type ChannelRefused, type ChannelReport } from '../../src/adapters/mcp/channel.js';
import { writeCommandFiles } from '../../src/adapters/process/command-files.js';
import { AGENT_NAMES, type AgentName } from '../../src/domain/index.js';
import { REPO_ROOT, requireAgentCli } from '../support/agent-clis.js';
import { startMockProvider, type MockProvider } from '../support/mock-provider.js';
import { describeRun, eventsOf, makeSandbox, minimalEnv, providerEnv, runCli, RUN_TIMEOUT_MS, type CliRun, type Sandbox } from './harness.js';

const SERVER_SCRIPT = path.join(REPO_ROOT, 'dist', 'adapters', 'mcp', 'server-main.js');
const MODELS: Record<AgentName, string> = { claude: 'claude-sonnet-4-5', codex: 'gpt-5.5', gemini: 'gemini-2.5-flash' };
const WORKER = 'worker:contract';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

interface Ctx {
  agent: AgentName;
  sandbox: Sandbox;
  provider: MockProvider;
  channel: AgentChannel;
  reports: ChannelReport[];
  refusals: ChannelRefused[];
  env: Record<string, string>;
}

async function setup(agent: AgentName): Promise<Ctx> {
  requireAgentCli(agent);
  expect(existsSync(SERVER_SCRIPT), `build the MCP server first: ${SERVER_SCRIPT}`).toBe(true);
  const sandbox = makeSandbox(agent);
  cleanups.push(() => sandbox.cleanup());
  const provider = await startMockProvider({ workdir: sandbox.workdir, scenario: 'report' });
  cleanups.push(() => provider.close());
  const reports: ChannelReport[] = [];
  const refusals: ChannelRefused[] = [];
  const channel = createAgentChannel({ serverScript: SERVER_SCRIPT, onReport: (r) => reports.push(r), onRefused: (r) => refusals.push(r) });
  cleanups.push(() => channel.close());
  const env = { ...minimalEnv(sandbox.home), ...providerEnv(agent, sandbox, provider) };
  return { agent, sandbox, provider, channel, reports, refusals, env };
}

// One run of the real CLI, launched the way the agent-process actor launches it.
async function runWithChannel(ctx: Ctx, extra: Partial<LaunchSpec> = {}): Promise<{ run: CliRun; launch: ChannelLaunch; why: string }> {
  const adapter = getAdapter(ctx.agent);
  const launch = buildChannelLaunch({
    adapter,
    spec: { prompt: 'Report a milestone.', cwd: ctx.sandbox.workdir, extraDirs: [], model: MODELS[ctx.agent], skipTrust: true, ...extra },
    executable: requireAgentCli(ctx.agent).command,
    workerId: WORKER,
    baseEnv: ctx.env,
    channels: {
      open(workerId) {
        const registration = ctx.channel.register(workerId);
        return { mcp: registration.mcp, close: registration.revoke };
      },
    },
    onReport: () => {},
  });
  cleanups.push(() => launch.close());
  const { command } = launch;
  writeCommandFiles(command.files);
  const run = await runCli(command, { ...ctx.env, ...command.env }, adapter.createNormalizer());
  const requests = ctx.provider.requests.map((q) => `${q.method} ${q.url} -> ${q.answer}`).join('\n');
  const why = `\n--- command\n${JSON.stringify(command, null, 1)}\n${describeRun(run)}\n--- provider requests\n${requests}\n`;
  if (process.env.ORCHESTRATE_CONTRACT_DEBUG === '1') console.log(why);
  return { run, launch, why };
}

describe.each(AGENT_NAMES)('%s CLI with the agent channel (real binary, fake provider)', (agent) => {
  it('starts the MCP server, calls report_milestone, and the channel records it for the worker', async () => {
    const ctx = await setup(agent);
    const { run, launch, why } = await runWithChannel(ctx);
    // The server is somewhere in what the CLI is given: its argv, a file it reads, or its config overlay.
    expect(JSON.stringify(launch.command), why).toContain(ctx.channel.dir);
    expect(run.timedOut, why).toBe(false);
    expect(ctx.reports, why).toEqual([{ workerId: WORKER, kind: 'milestone', text: ctx.provider.texts.report }]);
    expect(ctx.refusals, why).toEqual([]);
    const calls = eventsOf(run, 'agent.toolCall').filter((e) => e.kind === 'mcp');
    expect(calls.map((e) => e.tool), why).toEqual([expect.stringMatching(/report_milestone$/)]);
    const results = eventsOf(run, 'agent.toolResult').filter((e) => e.callId === calls[0]?.callId);
    expect(results.map((e) => e.ok), why).toEqual([true]);
    expect(eventsOf(run, 'agent.result').map((e) => e.success), why).toEqual([true]);
    expect(run.exit, why).toEqual({ exitCode: 0, signal: null });
  }, RUN_TIMEOUT_MS + 30_000);
});

describe.each(AGENT_NAMES)('%s CLI with the agent channel under a launch policy', (agent) => {
  it('still reaches the channel with its sandbox on and no network for its commands', async () => {
    const ctx = await setup(agent);
    const work = ctx.sandbox.workdir;
    // Gemini's sandbox is a container, which this machine does not have: its policy rules still apply.
    const policy: LaunchPolicy = {
      sandbox: agent === 'gemini' ? 'off' : 'required',
      writableRoots: [work],
      network: false,
      denyCommands: ['git push'],
      askCommands: ['npm publish'],
      protectedPaths: ['.claude', '.codex', '.gemini', '.mcp.json'].map((name) => path.join(work, name)),
      secretPaths: [path.join(ctx.sandbox.root, 'secrets')],
    };
    const { run, why } = await runWithChannel(ctx, { policy });
    expect(ctx.reports, why).toEqual([{ workerId: WORKER, kind: 'milestone', text: ctx.provider.texts.report }]);
    expect(eventsOf(run, 'agent.result').map((e) => e.success), why).toEqual([true]);
    expect(run.exit, why).toEqual({ exitCode: 0, signal: null });
  }, RUN_TIMEOUT_MS + 30_000);
});

describe('gemini CLI with its config overlay', () => {
  it('keeps its sessions in the user’s own home: a later run with the channel resumes the conversation', async () => {
    const ctx = await setup('gemini');
    const first = await runWithChannel(ctx);
    const sessionId = eventsOf(first.run, 'agent.started')[0]?.vendorSessionId;
    expect(sessionId, first.why).toMatch(/^[0-9a-f-]{36}$/);
    first.launch.close();

    const second = await runWithChannel(ctx, { prompt: 'Report again.', resumeSessionId: sessionId });
    expect(eventsOf(second.run, 'agent.started')[0]?.vendorSessionId, second.why).toBe(sessionId);
    expect(second.run.exit, second.why).toEqual({ exitCode: 0, signal: null });
    expect(ctx.reports.length, second.why).toBe(2);
  }, 2 * RUN_TIMEOUT_MS + 30_000);
});
