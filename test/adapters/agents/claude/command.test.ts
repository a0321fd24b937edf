import { describe, expect, it } from 'vitest';
import { buildClaudeCommand } from '../../../../src/adapters/agents/claude/command.js';
import type { ClaudePolicySettings } from '../../../../src/adapters/agents/claude/settings.js';
import type { LaunchSpec } from '../../../../src/adapters/agents/types.js';
import { FILES_DIR, POLICY } from '../launch-policy.js';
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

describe('buildClaudeCommand with a policy', () => {
  const spec: LaunchSpec = { ...base, extraDirs: ['/a'], policy: POLICY, filesDir: FILES_DIR };
  const settingsFile = `${FILES_DIR}/claude-settings.json`;
  const settingsOf = (cmd: ReturnType<typeof buildClaudeCommand>) => JSON.parse(cmd.files?.[settingsFile] ?? 'null') as ClaudePolicySettings;

  it('passes the policy as a --settings file in the run\'s directory, keeping acceptEdits and the allowed tools', () => {
    const cmd = buildClaudeCommand(spec, ['claude']);
    expect(cmd.args.slice(-2)).toEqual(['--settings', settingsFile]);
    expect(cmd.args.slice(0, DEFAULT_ARGS.length)).toEqual(DEFAULT_ARGS);
    expect(Object.keys(cmd.files ?? {})).toEqual([settingsFile]);
  });

  it('requires the sandbox: on, failing the start when it cannot run, with no way out for a command', () => {
    expect(settingsOf(buildClaudeCommand(spec, ['claude'])).sandbox).toEqual({
      enabled: true,
      failIfUnavailable: true,
      allowUnsandboxedCommands: false,
      filesystem: {
        allowWrite: ['/repo/wt', '/a', '/roots/assets'],
        // .claude is left to the CLI: it protects it itself, and naming it again breaks bubblewrap.
        denyWrite: ['/repo/wt/.codex', '/repo/wt/.gemini', '/repo/wt/.mcp.json', '/repo/.git/hooks'],
        denyRead: ['/home/u/.ssh', '/home/u/.aws', '/ws/sessions'],
      },
      network: { allowedDomains: [] },
    });
  });

  it('opens the network to every host when the policy allows it', () => {
    const settings = settingsOf(buildClaudeCommand({ ...spec, policy: { ...POLICY, network: true } }, ['claude']));
    expect(settings.sandbox?.network).toEqual({ allowedDomains: ['*'] });
  });

  it('with the sandbox off, still sandboxes where it can but starts where it cannot', () => {
    const settings = settingsOf(buildClaudeCommand({ ...spec, policy: { ...POLICY, sandbox: 'off' } }, ['claude']));
    expect(settings.sandbox).toMatchObject({ enabled: true, failIfUnavailable: false });
  });

  it('denies the deny and ask commands, writes to protected paths and any access to secret ones', () => {
    expect(settingsOf(buildClaudeCommand(spec, ['claude'])).permissions.deny).toEqual([
      'Bash(git push:*)',
      'Bash(rm -rf:*)',
      'Bash(npm publish:*)',
      // .claude is guarded by the CLI itself; any rule naming it breaks bubblewrap.
      'Edit(//repo/wt/.codex)',
      'Edit(//repo/wt/.codex/**)',
      'Edit(//repo/wt/.gemini)',
      'Edit(//repo/wt/.gemini/**)',
      'Edit(//repo/wt/.mcp.json)',
      'Edit(//repo/wt/.mcp.json/**)',
      'Edit(//repo/.git/hooks)',
      'Edit(//repo/.git/hooks/**)',
      'Read(//home/u/.ssh)',
      'Read(//home/u/.ssh/**)',
      'Edit(//home/u/.ssh)',
      'Edit(//home/u/.ssh/**)',
      'Read(//home/u/.aws)',
      'Read(//home/u/.aws/**)',
      'Edit(//home/u/.aws)',
      'Edit(//home/u/.aws/**)',
      'Read(//ws/sessions)',
      'Read(//ws/sessions/**)',
      'Edit(//ws/sessions)',
      'Edit(//ws/sessions/**)',
    ]);
  });

  it('opens the policy\'s roots to the file tools with --add-dir, after the extra directories', () => {
    const { args } = buildClaudeCommand(spec, ['claude']);
    expect(args.slice(args.indexOf('--add-dir'), args.indexOf('--add-dir') + 3)).toEqual(['--add-dir', '/a', '/roots/assets']);
  });

  it('puts the settings next to the MCP configuration when the run has no directory of its own', () => {
    const cmd = buildClaudeCommand({ ...spec, filesDir: undefined, mcp: MCP_LAUNCH }, ['claude']);
    expect(Object.keys(cmd.files ?? {}).sort()).toEqual([`${MCP_LAUNCH.dir}/claude-mcp.json`, `${MCP_LAUNCH.dir}/claude-settings.json`]);
    expect(cmd.args).toContain(`${MCP_LAUNCH.dir}/claude-settings.json`);
  });

  it('refuses a policy it has nowhere to write, rather than dropping it', () => {
    expect(() => buildClaudeCommand({ ...spec, filesDir: undefined }, ['claude'])).toThrow(/filesDir/);
  });
});
