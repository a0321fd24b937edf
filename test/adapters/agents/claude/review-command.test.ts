import { describe, expect, it } from 'vitest';
import { buildClaudeReviewCommand } from '../../../../src/adapters/agents/claude/review-command.js';
import type { ReviewLaunchSpec } from '../../../../src/adapters/agents/types.js';
import { reviewAnswerJsonSchema } from '../../../../src/domain/index.js';

const schema = reviewAnswerJsonSchema();
const base: ReviewLaunchSpec = { prompt: 'Review the work', cwd: '/repo/wt', extraDirs: [], schema, filesDir: '/session/review-files' };
const REVIEW_ARGS = [
  '-p',
  'Review the work',
  '--output-format',
  'stream-json',
  '--verbose',
  '--permission-mode',
  'plan',
  '--tools',
  'Read,Grep,Glob',
  '--strict-mcp-config',
  '--json-schema',
  JSON.stringify(schema),
];

describe('buildClaudeReviewCommand', () => {
  it('builds a plan-mode run with reading tools only and the answer schema inline', () => {
    expect(buildClaudeReviewCommand(base, ['claude'])).toEqual({ file: 'claude', args: REVIEW_ARGS, env: {}, cwd: '/repo/wt' });
  });

  it('gives the reviewer no tool that writes, edits, runs commands or leaves plan mode', () => {
    const { args } = buildClaudeReviewCommand(base, ['claude']);
    const tools = args[args.indexOf('--tools') + 1]?.split(',');
    expect(tools).toEqual(['Read', 'Grep', 'Glob']);
    expect(args).not.toContain('--allowedTools');
    expect(args).not.toContain('--dangerously-skip-permissions');
  });

  it('passes the schema as one JSON argument that parses back to it', () => {
    const { args } = buildClaudeReviewCommand(base, ['claude']);
    expect(JSON.parse(args[args.indexOf('--json-schema') + 1] ?? '')).toEqual(schema);
  });

  it('adds --add-dir and --model after the prompt and leading command args before everything', () => {
    const cmd = buildClaudeReviewCommand({ ...base, extraDirs: ['/a', '/b'], model: 'claude-sonnet-4-5', skipTrust: true }, ['node', 'sim.js']);
    expect(cmd.file).toBe('node');
    expect(cmd.args).toEqual(['sim.js', ...REVIEW_ARGS, '--add-dir', '/a', '/b', '--model', 'claude-sonnet-4-5']);
  });

  it('keeps a prompt that starts with a dash from being read as an option', () => {
    expect(buildClaudeReviewCommand({ ...base, prompt: '--help' }, ['claude']).args[1]).toBe(' --help');
  });
});

describe('buildClaudeReviewCommand with secret paths', () => {
  it('keeps the reading tools out of them with Read deny rules in a --settings file', () => {
    const cmd = buildClaudeReviewCommand({ ...base, policy: { secretPaths: ['/home/u/.ssh', '/ws/sessions/'] } }, ['claude']);
    const settingsFile = '/session/review-files/claude-review-settings.json';
    expect(cmd.args.slice(-2)).toEqual(['--settings', settingsFile]);
    expect(JSON.parse(cmd.files?.[settingsFile] ?? 'null')).toEqual({
      permissions: { deny: ['Read(//home/u/.ssh)', 'Read(//home/u/.ssh/**)', 'Read(//ws/sessions)', 'Read(//ws/sessions/**)'] },
    });
  });

  it('adds nothing when there are none', () => {
    expect(buildClaudeReviewCommand({ ...base, policy: { secretPaths: [] } }, ['claude'])).toEqual(buildClaudeReviewCommand(base, ['claude']));
  });
});
