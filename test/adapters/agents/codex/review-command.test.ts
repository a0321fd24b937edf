import { describe, expect, it } from 'vitest';
import { buildCodexReviewCommand } from '../../../../src/adapters/agents/codex/review-command.js';
import type { ReviewLaunchSpec } from '../../../../src/adapters/agents/types.js';
import { reviewAnswerJsonSchema } from '../../../../src/domain/index.js';

const schema = reviewAnswerJsonSchema();
const base: ReviewLaunchSpec = { prompt: 'Review the work', cwd: '/repo/wt', extraDirs: [], schema, filesDir: '/session/review-files' };
const SCHEMA_FILE = '/session/review-files/codex-answer.schema.json';
const EXEC_FLAGS = [
  'exec',
  '--json',
  '--sandbox',
  'read-only',
  '-c',
  'approval_policy="never"',
  '--output-schema',
  SCHEMA_FILE,
  '-C',
  '/repo/wt',
];

describe('buildCodexReviewCommand', () => {
  it('builds `codex exec --json` in the read-only sandbox, no approvals, the schema as a file and the prompt last', () => {
    const cmd = buildCodexReviewCommand(base, ['codex']);
    expect(cmd).toMatchObject({ file: 'codex', args: [...EXEC_FLAGS, 'Review the work'], env: {}, cwd: '/repo/wt' });
  });

  it('asks for the schema file it names to be written, with the schema in it', () => {
    const { files } = buildCodexReviewCommand(base, ['codex']);
    expect(Object.keys(files ?? {})).toEqual([SCHEMA_FILE]);
    expect(JSON.parse(files?.[SCHEMA_FILE] ?? '')).toEqual(schema);
  });

  it('repeats --add-dir and adds -m and --skip-git-repo-check before the prompt', () => {
    const cmd = buildCodexReviewCommand({ ...base, extraDirs: ['/a', '/b'], model: 'gpt-5.5', skipTrust: true }, ['node', 'codex.js']);
    expect(cmd.file).toBe('node');
    expect(cmd.args).toEqual([
      'codex.js',
      ...EXEC_FLAGS,
      '--add-dir',
      '/a',
      '--add-dir',
      '/b',
      '-m',
      'gpt-5.5',
      '--skip-git-repo-check',
      'Review the work',
    ]);
  });

  it('never asks for a writable sandbox', () => {
    const { args } = buildCodexReviewCommand({ ...base, extraDirs: ['/a'], skipTrust: true }, ['codex']);
    expect(args.join(' ')).not.toMatch(/workspace-write|danger-full-access|dangerously|--full-auto/);
  });

  it('keeps a prompt that starts with a dash from being read as stdin or an option', () => {
    expect(buildCodexReviewCommand({ ...base, prompt: '-' }, ['codex']).args.at(-1)).toBe(' -');
  });
});
