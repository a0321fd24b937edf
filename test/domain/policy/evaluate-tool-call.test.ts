import { describe, expect, it } from 'vitest';
import {
  ConfigFileSchema,
  DEFAULT_COMMAND_RULES,
  evaluateToolCall,
  resolvePolicy,
  type ShellParser,
  type ToolCallFacts,
} from '../../../src/domain/index.js';

const DIRS = {
  worktree: '/repo/.orchestrate/worktrees/s1',
  workspace: '/repo/.orchestrate',
  target: '/repo',
  extraDirs: ['shared'],
  home: '/home/dev',
  tempDirs: ['/tmp'],
};

const policy = resolvePolicy(ConfigFileSchema.parse({ policy: { roots: ['out', '~/scratch'] } }), DIRS);
const noShell: ShellParser = () => {
  throw new Error('no shell command in these tests');
};

function decide(call: Omit<ToolCallFacts, 'tool'> & { tool?: string }) {
  return evaluateToolCall({ tool: 'Tool', ...call }, policy, noShell);
}

describe('resolvePolicy', () => {
  it('makes every root absolute: the worktree, extra directories and roots from the target, ~ from home, temp', () => {
    expect(policy.writableRoots).toEqual(['/repo/.orchestrate/worktrees/s1', '/repo/shared', '/repo/out', '/home/dev/scratch', '/tmp']);
    expect(policy.cwd).toBe('/repo/.orchestrate/worktrees/s1');
  });

  it('protects the agents\u2019 configuration in every root, and keeps the orchestrator\u2019s state and credentials off limits', () => {
    expect(policy.protectedPaths).toEqual(expect.arrayContaining(['/repo/.orchestrate/worktrees/s1/.claude', '/repo/shared/.mcp.json', '/repo/out/.git', '/home/dev/.bashrc']));
    expect(policy.statePaths).toEqual(['/repo/.orchestrate/orchestrate.db', '/repo/.orchestrate/orchestrate.db-wal', '/repo/.orchestrate/orchestrate.db-shm', '/repo/.orchestrate/sessions']);
    expect(policy.credentialPaths).toEqual(expect.arrayContaining(['/home/dev/.ssh', '/home/dev/.aws', '/home/dev/.codex/auth.json']));
  });

  it('takes the built-in rules for each list the config leaves out, and the config\u2019s own list otherwise', () => {
    expect(policy.commands).toEqual({ ...DEFAULT_COMMAND_RULES });
    const own = resolvePolicy(ConfigFileSchema.parse({ policy: { commands: { ask: ['make deploy'] } } }), DIRS);
    expect(own.commands).toEqual({ allow: [], ask: ['make deploy'], deny: DEFAULT_COMMAND_RULES.deny });
  });
});

describe('evaluateToolCall on files', () => {
  it.each([
    ['src/index.ts'],
    ['/repo/.orchestrate/worktrees/s1/test/a.test.ts'],
    ['./src/../README.md'],
    ['/repo/shared/notes.md'],
    ['/repo/out/report.html'],
    ['/home/dev/scratch/x'],
    ['/tmp/build.log'],
    ['.gitignore'],
    ['docs/.claude.md'],
  ])('lets an agent write %j', (path) => {
    expect(decide({ kind: 'write', path }).decision).toBe('allow');
    expect(decide({ kind: 'edit', path }).decision).toBe('allow');
  });

  it.each([
    ['/etc/passwd', 'outside the allowed roots'],
    ['../s2/src/index.ts', 'outside the allowed roots'],
    ['../../../../../../etc/x', 'outside the allowed roots'],
    ['/repo/src/index.ts', 'outside the allowed roots'],
    ['/repo/.orchestrate/worktrees/s1-evil/x', 'outside the allowed roots'],
    ['.claude/settings.json', 'protected path'],
    ['src/../.claude/settings.local.json', 'protected path'],
    ['.codex/config.toml', 'protected path'],
    ['.gemini/settings.json', 'protected path'],
    ['.mcp.json', 'protected path'],
    ['.git/hooks/pre-commit', 'protected path'],
    ['.git', 'protected path'],
    ['orchestrate.config.json', 'protected path'],
    ['/repo/shared/.claude/settings.json', 'protected path'],
    ['~/.bashrc', 'protected path'],
    ['/home/dev/.ssh/authorized_keys', 'credentials'],
    ['/repo/.orchestrate/orchestrate.db', 'orchestrator state'],
  ])('denies writing %j (%s)', (path, rule) => {
    const verdict = decide({ kind: 'write', path });
    expect(verdict).toMatchObject({ decision: 'deny', rule });
    expect(verdict.reason).toMatch(/^writes \//);
  });

  it.each([['README.md'], ['/usr/include/stdio.h'], ['/repo/src/index.ts'], ['~/.gitconfig'], ['/home/dev/.claude/CLAUDE.md']])('lets an agent read %j', (path) => {
    expect(decide({ kind: 'read', path }).decision).toBe('allow');
  });

  it.each([
    ['~/.ssh/id_rsa', 'credentials'],
    ['/home/dev/.aws/credentials', 'credentials'],
    ['/home/dev/.codex/auth.json', 'credentials'],
    ['/repo/.orchestrate/orchestrate.db', 'orchestrator state'],
    ['/repo/.orchestrate/sessions/s1/logs/claude.log', 'orchestrator state'],
  ])('denies reading %j (%s)', (path, rule) => {
    expect(decide({ kind: 'read', path })).toMatchObject({ decision: 'deny', rule });
  });

  it('asks before searching a tree that holds credentials, and lets the worktree be searched', () => {
    expect(decide({ kind: 'search', path: '~' })).toMatchObject({ decision: 'ask', rule: 'credentials' });
    expect(decide({ kind: 'search' }).decision).toBe('allow');
    expect(decide({ kind: 'search', path: '/home/dev/.ssh' }).decision).toBe('deny');
  });

  it('lets a call with no path through: there is nothing to check', () => {
    expect(decide({ kind: 'write' }).decision).toBe('allow');
  });
});

describe('evaluateToolCall on other tools', () => {
  it('asks before a web tool while the network is off, and allows it when it is on', () => {
    expect(decide({ kind: 'web', tool: 'WebFetch' })).toMatchObject({ decision: 'ask', rule: 'policy.network' });
    const online = resolvePolicy(ConfigFileSchema.parse({ policy: { network: true } }), DIRS);
    expect(evaluateToolCall({ tool: 'WebFetch', kind: 'web' }, online, noShell).decision).toBe('allow');
  });

  it.each([
    { kind: 'mcp', tool: 'mcp__orchestrate__report_milestone' },
    { kind: 'other', tool: 'TodoWrite' },
    { kind: 'shell', tool: 'BashOutput' },
  ] as const)('allows $tool', (call) => {
    expect(decide(call).decision).toBe('allow');
  });
});
