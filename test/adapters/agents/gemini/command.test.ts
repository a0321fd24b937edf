import { describe, expect, it } from 'vitest';
import { buildGeminiCommand } from '../../../../src/adapters/agents/gemini/command.js';
import type { LaunchSpec } from '../../../../src/adapters/agents/types.js';
import { MCP_LAUNCH } from '../mcp-launch.js';

const base: LaunchSpec = { prompt: 'Fix the bug', cwd: '/repo/wt', extraDirs: [] };
const DEFAULT_ARGS = ['-p', 'Fix the bug', '--output-format', 'stream-json', '--approval-mode', 'yolo'];

describe('buildGeminiCommand', () => {
  it('builds the headless stream-json invocation in yolo mode, without relaunch', () => {
    expect(buildGeminiCommand(base, ['gemini'])).toEqual({
      file: 'gemini',
      args: DEFAULT_ARGS,
      env: { GEMINI_CLI_NO_RELAUNCH: '1' },
      cwd: '/repo/wt',
    });
  });

  it('puts leading command args before the vendor args', () => {
    const cmd = buildGeminiCommand(base, ['node', 'bundle/gemini.js']);
    expect(cmd.file).toBe('node');
    expect(cmd.args).toEqual(['bundle/gemini.js', ...DEFAULT_ARGS]);
  });

  it('joins extra directories with commas and adds --skip-trust, -m and --resume', () => {
    const cmd = buildGeminiCommand(
      { ...base, extraDirs: ['/a', '/b'], skipTrust: true, model: 'gemini-2.5-flash', resumeSessionId: '2168bf5a-62e0-4a25-9455-9c9ea2e22fd3' },
      ['gemini'],
    );
    expect(cmd.args).toEqual([
      ...DEFAULT_ARGS,
      '--include-directories',
      '/a,/b',
      '--skip-trust',
      '-m',
      'gemini-2.5-flash',
      '--resume',
      '2168bf5a-62e0-4a25-9455-9c9ea2e22fd3',
    ]);
  });

  it('passes no --include-directories when there are none (a missing directory would be fatal)', () => {
    expect(buildGeminiCommand({ ...base, maxTurns: 3 }, ['gemini']).args).toEqual(DEFAULT_ARGS);
  });

  it('keeps a prompt that starts with a dash from being read as an option', () => {
    expect(buildGeminiCommand({ ...base, prompt: '-y' }, ['gemini']).args[1]).toBe(' -y');
  });

  it('gives the MCP server through the settings of a private Gemini home overlaying the user\'s own', () => {
    const cmd = buildGeminiCommand({ ...base, mcp: MCP_LAUNCH }, ['gemini']);
    expect(cmd.args).toEqual(buildGeminiCommand(base, ['gemini']).args);
    expect(cmd.env).toEqual({ GEMINI_CLI_NO_RELAUNCH: '1', GEMINI_CLI_HOME: '/tmp/orchestrate-Ab12Cd/w1/gemini-home' });
    expect(cmd.configOverlay).toEqual({
      dir: '/tmp/orchestrate-Ab12Cd/w1/gemini-home/.gemini',
      homeVariables: ['GEMINI_CLI_HOME', 'HOME'],
      subdir: '.gemini',
      keep: ['tmp', 'history'],
      settingsFile: 'settings.json',
      settings: { mcpServers: { orchestrate: { command: MCP_LAUNCH.command, args: MCP_LAUNCH.args, env: MCP_LAUNCH.env, trust: true } } },
    });
  });
});
