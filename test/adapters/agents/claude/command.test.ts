import { describe, expect, it } from 'vitest';
import { buildClaudeCommand } from '../../../../src/adapters/agents/claude/command.js';
import type { LaunchSpec } from '../../../../src/adapters/agents/types.js';
import { MCP_LAUNCH } from '../mcp-launch.js';

const base: LaunchSpec = { prompt: 'Fix the bug', cwd: '/repo/wt', extraDirs: [] };
const DEFAULT_ARGS = [
  '-p',
  'Fix the bug',
  '--output-format',
  'stream-json',
  '--verbose',
  '--permission-mode',
  'acceptEdits',
  '--allowedTools',
  'Bash Write Edit Read',
];

describe('buildClaudeCommand', () => {
  it('builds the non-interactive stream-json invocation with cwd as the working directory', () => {
    expect(buildClaudeCommand(base, ['claude'])).toEqual({ file: 'claude', args: DEFAULT_ARGS, env: {}, cwd: '/repo/wt' });
  });

  it('puts leading command args before the vendor args', () => {
    const cmd = buildClaudeCommand(base, ['node', 'sim.js', '--vendor', 'claude']);
    expect(cmd.file).toBe('node');
    expect(cmd.args).toEqual(['sim.js', '--vendor', 'claude', ...DEFAULT_ARGS]);
  });

  it('adds --add-dir, --model, --max-turns and --resume after the prompt', () => {
    const cmd = buildClaudeCommand(
      { ...base, extraDirs: ['/a', '/b'], model: 'claude-sonnet-4-5', maxTurns: 20, resumeSessionId: '0f0e0d0c-0b0a-4908-8706-050403020100' },
      ['claude'],
    );
    expect(cmd.args).toEqual([
      ...DEFAULT_ARGS,
      '--add-dir',
      '/a',
      '/b',
      '--model',
      'claude-sonnet-4-5',
      '--max-turns',
      '20',
      '--resume',
      '0f0e0d0c-0b0a-4908-8706-050403020100',
    ]);
  });

  it('keeps the prompt right after -p, before the variadic options that would swallow it', () => {
    const { args } = buildClaudeCommand({ ...base, extraDirs: ['/a'] }, ['claude']);
    expect(args.indexOf('Fix the bug')).toBe(args.indexOf('-p') + 1);
    expect(args.indexOf('Fix the bug')).toBeLessThan(args.indexOf('--add-dir'));
  });

  it('keeps a prompt that starts with a dash from being read as an option', () => {
    const { args } = buildClaudeCommand({ ...base, prompt: '--help me' }, ['claude']);
    expect(args[1]).toBe(' --help me');
  });

  it('ignores skipTrust: print mode has no trust gate', () => {
    expect(buildClaudeCommand({ ...base, skipTrust: true }, ['claude']).args).toEqual(DEFAULT_ARGS);
  });

  it('gives the MCP server through --mcp-config in a private file, keeping the secret off the command line', () => {
    const cmd = buildClaudeCommand({ ...base, mcp: MCP_LAUNCH }, ['claude']);
    const configFile = '/tmp/orchestrate-Ab12Cd/w1/claude-mcp.json';
    expect(cmd.args.slice(-2)).toEqual(['--mcp-config', configFile]);
    expect(cmd.args).not.toContain('--strict-mcp-config');
    expect(cmd.args.join(' ')).not.toContain(MCP_LAUNCH.env.ORCHESTRATE_CHANNEL_SECRET);
    expect(JSON.parse(cmd.files?.[configFile] ?? '')).toEqual({
      mcpServers: { orchestrate: { type: 'stdio', command: MCP_LAUNCH.command, args: MCP_LAUNCH.args, env: MCP_LAUNCH.env } },
    });
  });

  it('lets the MCP server\'s tools run unasked, as mcp__<server>__<tool>', () => {
    const args = buildClaudeCommand({ ...base, mcp: MCP_LAUNCH }, ['claude']).args;
    expect(args[args.indexOf('--allowedTools') + 1]).toBe(
      'Bash Write Edit Read mcp__orchestrate__report_milestone mcp__orchestrate__report_blocker mcp__orchestrate__request_review',
    );
  });
});
