import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildChannelLaunch } from '../../../src/actors/channel-launch.js';
import { getAdapter } from '../../../src/adapters/agents/index.js';
import { createAgentChannel, type AgentChannel, type ChannelRefused, type ChannelReport } from '../../../src/adapters/mcp/channel.js';
import { writeCommandFiles } from '../../../src/adapters/process/command-files.js';
import { AGENT_NAMES } from '../../../src/domain/index.js';
import { eventsOf, runCli } from '../../contract/harness.js';
import { cleanup, requireBuilt, SIM_MAIN, tempDir } from './helpers.js';

const SERVER_SCRIPT = resolve('dist/adapters/mcp/server-main.js');
const WORKER = 'worker:implement';
/** What each vendor calls the channel's tools, as the real CLIs print them (see test/contract/mcp.contract.test.ts). */
const TOOL_NAMES = {
  claude: (server: string, tool: string) => `mcp__${server}__${tool}`,
  codex: (server: string, tool: string) => `${server}.${tool}`,
  gemini: (server: string, tool: string) => `mcp_${server}_${tool}`,
};

const channels: AgentChannel[] = [];
afterEach(async () => {
  await Promise.all(channels.splice(0).map((channel) => channel.close()));
  cleanup();
});

describe.each(AGENT_NAMES)('the %s sim with the agent channel', (vendor) => {
  it('finds the MCP server where the real CLI would, calls its tools and prints the calls the vendor’s way', async () => {
    requireBuilt();
    const reports: ChannelReport[] = [];
    const refusals: ChannelRefused[] = [];
    const channel = createAgentChannel({ serverScript: SERVER_SCRIPT, onReport: (r) => reports.push(r), onRefused: (r) => refusals.push(r) });
    channels.push(channel);
    const cwd = tempDir();
    const scenario = join(tempDir(), 'scenario.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        steps: [
          { mcp: { tool: 'report_milestone', arguments: { summary: 'parser works' } } },
          { mcp: { tool: 'report_blocker', arguments: { problem: 'posing as someone else' }, secret: 'f'.repeat(64) } },
          { mcp: { tool: 'request_review', arguments: { focus: 'x' }, server: 'missing' } },
          { saveSecret: { path: 'secret.txt' } },
          { say: 'done' },
        ],
      }),
    );
    let secret = '';
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tempDir() };
    const adapter = getAdapter(vendor);
    const launch = buildChannelLaunch({
      adapter,
      spec: { prompt: 'Work.', cwd, extraDirs: [], skipTrust: true },
      executable: [process.execPath, SIM_MAIN, '--vendor', vendor, '--scenario', scenario, '--'],
      workerId: WORKER,
      baseEnv: env,
      channels: {
        open(workerId) {
          const registration = channel.register(workerId);
          secret = registration.secret;
          return { mcp: registration.mcp, close: registration.revoke };
        },
      },
      onReport: () => {},
    });
    writeCommandFiles(launch.command.files);
    const run = await runCli(launch.command, { ...env, ...launch.command.env }, adapter.createNormalizer(), 20_000);
    const why = `\n${run.lines.join('\n')}\n${run.stderr}`;

    expect(run.exit, why).toEqual({ exitCode: 0, signal: null });
    expect(reports, why).toEqual([{ workerId: WORKER, kind: 'milestone', text: 'parser works' }]);
    expect(refusals, why).toEqual([{ workerId: WORKER, reason: 'unknownSecret' }]);
    const calls = eventsOf(run, 'agent.toolCall');
    const name = TOOL_NAMES[vendor];
    expect(calls.map((c) => [c.kind, c.tool]), why).toEqual([
      ['mcp', name('orchestrate', 'report_milestone')],
      ['mcp', name('orchestrate', 'report_blocker')],
      ['mcp', name('missing', 'request_review')],
    ]);
    expect(eventsOf(run, 'agent.toolResult').map((r) => r.ok), why).toEqual([true, false, false]);
    expect(readFileSync(join(cwd, 'secret.txt'), 'utf8').trim()).toBe(secret);
    expect(eventsOf(run, 'agent.result').map((r) => r.success), why).toEqual([true]);
    launch.close();
  }, 30_000);
});
