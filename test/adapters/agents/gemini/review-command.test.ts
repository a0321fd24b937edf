import { describe, expect, it } from 'vitest';
import { buildGeminiReviewCommand, GEMINI_REVIEW_POLICY } from '../../../../src/adapters/agents/gemini/review-command.js';
import type { ReviewLaunchSpec } from '../../../../src/adapters/agents/types.js';
import { reviewAnswerJsonSchema } from '../../../../src/domain/index.js';

const base: ReviewLaunchSpec = {
  prompt: 'Review the work',
  cwd: '/repo/wt',
  extraDirs: [],
  schema: reviewAnswerJsonSchema(),
  filesDir: '/session/review-files',
};
const POLICY_FILE = '/session/review-files/gemini-review-policy.toml';
const REVIEW_ARGS = ['-p', 'Review the work', '--output-format', 'stream-json', '--approval-mode', 'plan', '--policy', POLICY_FILE];

describe('buildGeminiReviewCommand', () => {
  it('builds a headless plan-mode run under the reading-only policy, without relaunch', () => {
    expect(buildGeminiReviewCommand(base, ['gemini'])).toEqual({
      file: 'gemini',
      args: REVIEW_ARGS,
      env: { GEMINI_CLI_NO_RELAUNCH: '1' },
      cwd: '/repo/wt',
      files: { [POLICY_FILE]: GEMINI_REVIEW_POLICY },
    });
  });

  it('joins extra directories with commas and adds --skip-trust and -m', () => {
    const cmd = buildGeminiReviewCommand({ ...base, extraDirs: ['/a', '/b'], skipTrust: true, model: 'gemini-2.5-flash' }, ['node', 'gemini.js']);
    expect(cmd.file).toBe('node');
    const [head, policy] = [REVIEW_ARGS.slice(0, -2), REVIEW_ARGS.slice(-2)];
    expect(cmd.args).toEqual(['gemini.js', ...head, '--include-directories', '/a,/b', '--skip-trust', '-m', 'gemini-2.5-flash', ...policy]);
  });

  it('never asks for yolo', () => {
    const { args } = buildGeminiReviewCommand({ ...base, skipTrust: true }, ['gemini']);
    expect(args).not.toContain('yolo');
    expect(args).not.toContain('--yolo');
  });

  it('denies every tool at a lower priority than the reading tools it allows', () => {
    const rules = GEMINI_REVIEW_POLICY.split('[[rule]]').slice(1);
    expect(rules).toHaveLength(2);
    expect(rules[0]).toMatch(/toolName = "\*"\ndecision = "deny"\npriority = 100\n/);
    expect(rules[1]).toMatch(/toolName = \["read_file", "read_many_files", "list_directory", "glob", "grep_search"\]\ndecision = "allow"\npriority = 200\n/);
    expect(GEMINI_REVIEW_POLICY).not.toMatch(/write_file|replace|run_shell_command|exit_plan_mode/);
  });
});

describe('buildGeminiReviewCommand with secret paths', () => {
  it('appends deny rules for them, above the reading tools\' allow rule', () => {
    const cmd = buildGeminiReviewCommand({ ...base, policy: { secretPaths: ['/home/u/.ssh'] } }, ['gemini']);
    const policy = cmd.files?.[POLICY_FILE] ?? '';
    expect(policy.startsWith(GEMINI_REVIEW_POLICY)).toBe(true);
    const added = policy.slice(GEMINI_REVIEW_POLICY.length);
    expect(added).toContain('toolName = ["read_file", "read_many_files", "list_directory", "glob", "grep_search", "write_file", "replace"]');
    expect(added).toContain('decision = "deny"\npriority = 900');
    const pattern = JSON.parse(/argsPattern = (.*)/.exec(added)?.[1] ?? '""') as string;
    expect(new RegExp(pattern).test('\0"file_path":"/home/u/.ssh/id_rsa"\0')).toBe(true);
    expect(new RegExp(pattern).test('\0"file_path":"/repo/wt/README.md"\0')).toBe(false);
  });

  it('leaves the reading-only policy as it is when there are none', () => {
    expect(buildGeminiReviewCommand({ ...base, policy: { secretPaths: [] } }, ['gemini']).files).toEqual({ [POLICY_FILE]: GEMINI_REVIEW_POLICY });
  });
});
