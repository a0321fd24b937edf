import { describe, expect, it } from 'vitest';
import { buildCodexCommand } from '../../../../src/adapters/agents/codex/command.js';
import type { LaunchSpec } from '../../../../src/adapters/agents/types.js';
import { parseTomlValue } from '../../../../src/adapters/sim/toml-value.js';
import { POLICY } from '../launch-policy.js';
import { MCP_LAUNCH } from '../mcp-launch.js';

const base: LaunchSpec = { prompt: 'Fix the bug', cwd: '/repo/wt', extraDirs: [] };
const EXEC_FLAGS = ['exec', '--json', '--sandbox', 'workspace-write', '-c', 'approval_policy="never"', '-C', '/repo/wt'];

describe('buildCodexCommand', () => {
  it('builds `codex exec --json` with a writable sandbox, no approvals and the prompt last', () => {
    expect(buildCodexCommand(base, ['codex'])).toEqual({
      file: 'codex',
      args: [...EXEC_FLAGS, 'Fix the bug'],
      env: {},
      cwd: '/repo/wt',
    });
  });

  it('puts leading command args before the vendor args', () => {
    const cmd = buildCodexCommand(base, ['node', 'codex.js']);
    expect(cmd.file).toBe('node');
    expect(cmd.args).toEqual(['codex.js', ...EXEC_FLAGS, 'Fix the bug']);
  });

  it('repeats --add-dir and adds -m and --skip-git-repo-check', () => {
    const cmd = buildCodexCommand({ ...base, extraDirs: ['/a', '/b'], model: 'gpt-5.5', skipTrust: true, maxTurns: 5 }, ['codex']);
    expect(cmd.args).toEqual([
      ...EXEC_FLAGS,
      '--add-dir',
      '/a',
      '--add-dir',
      '/b',
      '-m',
      'gpt-5.5',
      '--skip-git-repo-check',
      'Fix the bug',
    ]);
  });

  it('resumes as `exec <flags> resume <id> <prompt>`, every exec flag before resume', () => {
    const cmd = buildCodexCommand(
      { ...base, extraDirs: ['/a'], model: 'gpt-5.5', skipTrust: true, resumeSessionId: '01a20b02-812a-7523-bc8a-aadd6c03ffd3' },
      ['codex'],
    );
    expect(cmd.args).toEqual([
      ...EXEC_FLAGS,
      '--add-dir',
      '/a',
      '-m',
      'gpt-5.5',
      '--skip-git-repo-check',
      'resume',
      '01a20b02-812a-7523-bc8a-aadd6c03ffd3',
      'Fix the bug',
    ]);
    const resumeAt = cmd.args.indexOf('resume');
    expect(cmd.args.slice(resumeAt).some((arg) => arg.startsWith('-'))).toBe(false);
  });

  it('keeps a dash prompt from meaning "read the prompt from stdin"', () => {
    expect(buildCodexCommand({ ...base, prompt: '-' }, ['codex']).args.at(-1)).toBe(' -');
  });

  it('gives the MCP server through -c mcp_servers.<name>.* overrides, before `resume`', () => {
    const cmd = buildCodexCommand({ ...base, mcp: MCP_LAUNCH, resumeSessionId: '01a20b02-812a-7523-bc8a-aadd6c03ffd3' }, ['codex']);
    const overrides = cmd.args.flatMap((arg, i) => (cmd.args[i - 1] === '-c' && arg.startsWith('mcp_servers.') ? [arg] : []));
    expect(overrides).toEqual([
      'mcp_servers.orchestrate.command="/usr/bin/node"',
      'mcp_servers.orchestrate.args=["/opt/orche\\"strate/dist/adapters/mcp/server-main.js"]',
      `mcp_servers.orchestrate.env={ORCHESTRATE_CHANNEL="/tmp/orchestrate-Ab12Cd/w1.sock",ORCHESTRATE_CHANNEL_SECRET="${'ab'.repeat(32)}"}`,
    ]);
    expect(cmd.args.findLastIndex((arg) => arg.startsWith('mcp_servers.'))).toBeLessThan(cmd.args.indexOf('resume'));
    expect(cmd.files).toBeUndefined();
  });

  it('writes override values that read back as the TOML the launch describes', () => {
    const mcp = { ...MCP_LAUNCH, command: "/opt/it's \\ here/nöde\u007f", env: { 'NAME.WITH-DOT': 'a"b' } };
    const values = buildCodexCommand({ ...base, mcp }, ['codex']).args.flatMap((arg) => {
      const match = /^mcp_servers\.orchestrate\.(\w+)=(.*)$/s.exec(arg);
      return match ? [[match[1], parseTomlValue(match[2]!)] as const] : [];
    });
    expect(Object.fromEntries(values)).toEqual({ command: mcp.command, args: mcp.args, env: mcp.env });
  });
});

describe('buildCodexCommand with a policy', () => {
  const spec: LaunchSpec = { ...base, extraDirs: ['/a'], policy: POLICY };
  const overrides = (args: string[]) => args.flatMap((arg, i) => (args[i - 1] === '-c' && arg.startsWith('sandbox_workspace_write.') ? [arg] : []));

  it('keeps workspace-write, with the policy\'s roots writable (the cwd always is) and the network off', () => {
    const { args } = buildCodexCommand(spec, ['codex']);
    expect(args.slice(0, 4)).toEqual(['exec', '--json', '--sandbox', 'workspace-write']);
    expect(overrides(args)).toEqual([
      'sandbox_workspace_write.writable_roots=["/a","/roots/assets"]',
      'sandbox_workspace_write.network_access=false',
    ]);
    const roots = overrides(args)[0]?.split('=')[1] ?? '';
    expect(parseTomlValue(roots)).toEqual(['/a', '/roots/assets']);
  });

  it('lets commands reach the network when the policy allows it', () => {
    expect(overrides(buildCodexCommand({ ...spec, policy: { ...POLICY, network: true } }, ['codex']).args)).toContain(
      'sandbox_workspace_write.network_access=true',
    );
  });

  it('runs without a sandbox when the user accepted that, and says nothing of its settings', () => {
    const { args } = buildCodexCommand({ ...spec, policy: { ...POLICY, sandbox: 'off' } }, ['codex']);
    expect(args.slice(0, 4)).toEqual(['exec', '--json', '--sandbox', 'danger-full-access']);
    expect(overrides(args)).toEqual([]);
  });

  it('keeps every sandbox flag before `resume`, which rejects them', () => {
    const { args } = buildCodexCommand({ ...spec, resumeSessionId: '01a20b02-812a-7523-bc8a-aadd6c03ffd3' }, ['codex']);
    expect(args.findLastIndex((arg) => arg.startsWith('sandbox_workspace_write.'))).toBeLessThan(args.indexOf('resume'));
  });

  it('writes no file: everything is on the command line', () => {
    expect(buildCodexCommand(spec, ['codex']).files).toBeUndefined();
  });
});
