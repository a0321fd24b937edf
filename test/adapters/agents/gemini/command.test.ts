import { describe, expect, it } from 'vitest';
import { buildGeminiCommand } from '../../../../src/adapters/agents/gemini/command.js';
import type { LaunchSpec } from '../../../../src/adapters/agents/types.js';
import { FILES_DIR, POLICY } from '../launch-policy.js';
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

/** A policy file's rules, each `key = value` line read as JSON (what toml.ts writes is both). */
function readRules(toml: string): Record<string, unknown>[] {
  return toml
    .split('[[rule]]')
    .slice(1)
    .map((block) => Object.fromEntries(block.trim().split('\n').map((line) => {
      const at = line.indexOf(' = ');
      return [line.slice(0, at), JSON.parse(line.slice(at + 3)) as unknown];
    })));
}

/** The arguments of a tool call as Gemini 0.61's policy engine matches them: sorted keys, each pair between NULs. */
function stableArgs(args: Record<string, unknown>): string {
  return Object.keys(args).sort().map((key) => `\0${JSON.stringify(key)}:${JSON.stringify(args[key])}\0`).join('');
}

/** The engine skips (with a line on stderr) a pattern with a quantified group, as a ReDoS risk. */
const NESTED_QUANTIFIER = /\([^)]*[*+?{].*\)[*+?{]/;

describe('buildGeminiCommand with a policy', () => {
  const spec: LaunchSpec = { ...base, extraDirs: ['/a'], policy: POLICY, filesDir: FILES_DIR };
  const policyFile = `${FILES_DIR}/gemini-policy.toml`;
  const rulesOf = (cmd: ReturnType<typeof buildGeminiCommand>) => readRules(cmd.files?.[policyFile] ?? '');
  const deniesCall = (cmd: ReturnType<typeof buildGeminiCommand>, tool: string, args: Record<string, unknown>) =>
    rulesOf(cmd).some((rule) => {
      const tools = ([] as unknown[]).concat(rule.toolName);
      return tools.includes(tool) && typeof rule.argsPattern === 'string' && new RegExp(rule.argsPattern).test(stableArgs(args));
    });

  it('asks for the sandbox and loads the policy file; the policy\'s roots become workspace directories', () => {
    const cmd = buildGeminiCommand(spec, ['gemini']);
    expect(cmd.args).toEqual([...DEFAULT_ARGS, '--include-directories', '/a,/roots/assets', '--sandbox', '--policy', policyFile]);
    expect(cmd.env).toEqual({ GEMINI_CLI_NO_RELAUNCH: '1' });
  });

  it('leaves --sandbox out when the user accepted running without it, and keeps the rules', () => {
    const cmd = buildGeminiCommand({ ...spec, policy: { ...POLICY, sandbox: 'off' } }, ['gemini']);
    expect(cmd.args).not.toContain('--sandbox');
    expect(cmd.args.slice(-2)).toEqual(['--policy', policyFile]);
  });

  it('denies the deny and ask commands by prefix, each with its reason', () => {
    const shell = rulesOf(buildGeminiCommand(spec, ['gemini'])).filter((rule) => rule.toolName === 'run_shell_command');
    expect(shell.map((rule) => [rule.commandPrefix, rule.decision, rule.priority])).toEqual([
      [['git push', 'rm -rf'], 'deny', 900],
      [['npm publish'], 'deny', 900],
    ]);
    expect(shell[1]?.denyMessage).toMatch(/approval/);
  });

  it('denies writes to the protected paths, absolute or relative to the worktree', () => {
    const cmd = buildGeminiCommand(spec, ['gemini']);
    for (const file_path of ['/repo/wt/.claude/settings.json', '.claude/settings.json', './.claude', '/repo/wt/.mcp.json', '.gemini/settings.json', '/repo/.git/hooks/pre-commit']) {
      expect(deniesCall(cmd, 'write_file', { content: 'x', file_path }), file_path).toBe(true);
      expect(deniesCall(cmd, 'replace', { file_path, new_string: 'b', old_string: 'a' }), file_path).toBe(true);
    }
    for (const file_path of ['/repo/wt/src/a.ts', 'src/.claude-notes.md', '/repo/wt/.mcp.json.bak', 'docs/.claude/x']) {
      expect(deniesCall(cmd, 'write_file', { content: 'x', file_path }), file_path).toBe(false);
    }
  });

  it('denies every file tool the secret paths, as a path value or in an include list', () => {
    const cmd = buildGeminiCommand(spec, ['gemini']);
    expect(deniesCall(cmd, 'read_file', { file_path: '/home/u/.ssh/id_ed25519' })).toBe(true);
    expect(deniesCall(cmd, 'list_directory', { dir_path: '/home/u/.aws' })).toBe(true);
    expect(deniesCall(cmd, 'read_many_files', { include: ['src/**', '/ws/sessions/s1/logs/x.log'] })).toBe(true);
    expect(deniesCall(cmd, 'read_file', { file_path: '/home/u/.sshx' })).toBe(false);
  });

  it('denies the web tools when the network is off, and only then', () => {
    const webRule = (cmd: ReturnType<typeof buildGeminiCommand>) => rulesOf(cmd).find((rule) => String(rule.toolName).includes('web_fetch'));
    expect(webRule(buildGeminiCommand(spec, ['gemini']))).toMatchObject({ toolName: ['web_fetch', 'google_web_search'], decision: 'deny' });
    expect(webRule(buildGeminiCommand({ ...spec, policy: { ...POLICY, network: true } }, ['gemini']))).toBeUndefined();
  });

  it('writes only patterns the policy engine accepts', () => {
    for (const rule of rulesOf(buildGeminiCommand(spec, ['gemini']))) {
      if (typeof rule.argsPattern !== 'string') continue;
      expect(() => new RegExp(rule.argsPattern as string)).not.toThrow();
      expect(NESTED_QUANTIFIER.test(rule.argsPattern), rule.argsPattern).toBe(false);
    }
  });

  it('keeps the MCP home and the policy file side by side', () => {
    const cmd = buildGeminiCommand({ ...spec, filesDir: undefined, mcp: MCP_LAUNCH }, ['gemini']);
    expect(cmd.configOverlay?.dir).toBe(`${MCP_LAUNCH.dir}/gemini-home/.gemini`);
    expect(Object.keys(cmd.files ?? {})).toEqual([`${MCP_LAUNCH.dir}/gemini-policy.toml`]);
  });
});
