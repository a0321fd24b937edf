import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildChannelLaunch, type WorkerChannels } from '../../src/actors/channel-launch.js';
import { claudeAdapter, geminiAdapter } from '../../src/adapters/agents/index.js';
import type { LaunchSpec, McpServerLaunch } from '../../src/adapters/agents/types.js';
import type { ReportKind } from '../../src/domain/index.js';

const spec: LaunchSpec = { prompt: 'Work.', cwd: '/repo/wt', extraDirs: [] };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// Channels that hand out one MCP launch with its private directory at `dir`, and remember what happened.
function fakeChannels(dir: string) {
  const log: string[] = [];
  const handlers = new Map<string, (kind: ReportKind, text: string) => void>();
  const mcp: McpServerLaunch = { name: 'orchestrate', command: 'node', args: ['server.js'], env: {}, tools: ['report_milestone'], dir };
  const channels: WorkerChannels = {
    open(workerId, onReport) {
      log.push(`open ${workerId}`);
      handlers.set(workerId, onReport);
      return { mcp, close: () => log.push(`close ${workerId}`) };
    },
  };
  return { channels, log, handlers };
}

describe('buildChannelLaunch', () => {
  it('builds the plain command when the session has no channel', () => {
    const launch = buildChannelLaunch({ adapter: claudeAdapter, spec, executable: ['claude'], workerId: 'w', baseEnv: {}, onReport: () => {} });
    expect(launch.command).toEqual(claudeAdapter.buildCommand(spec, ['claude']));
  });

  it('opens the worker’s channel, gives the CLI its server, and closes the channel once', () => {
    const root = mkdtempSync(join(tmpdir(), 'orchestrate-launch-'));
    dirs.push(root);
    const { channels, log, handlers } = fakeChannels(root);
    const reports: string[] = [];
    const launch = buildChannelLaunch({
      adapter: claudeAdapter,
      spec,
      executable: ['claude'],
      workerId: 'worker:implement',
      baseEnv: {},
      channels,
      onReport: (kind, text) => reports.push(`${kind}: ${text}`),
    });
    expect(launch.command.args).toContain('--mcp-config');
    handlers.get('worker:implement')?.('milestone', 'parser done');
    expect(reports).toEqual(['milestone: parser done']);
    launch.close();
    expect(log).toEqual(['open worker:implement', 'close worker:implement']);
  });

  it('goes without the server, closing the channel, when the config overlay cannot be built', () => {
    const root = mkdtempSync(join(tmpdir(), 'orchestrate-launch-'));
    dirs.push(root);
    writeFileSync(join(root, 'not-a-directory'), '');
    const { channels, log } = fakeChannels(join(root, 'not-a-directory'));
    const launch = buildChannelLaunch({ adapter: geminiAdapter, spec, executable: ['gemini'], workerId: 'worker:design', baseEnv: {}, channels, onReport: () => {} });
    expect(launch.command).toEqual(geminiAdapter.buildCommand(spec, ['gemini']));
    expect(log).toEqual(['open worker:design', 'close worker:design']);
  });
});
