import { join } from 'node:path';
import type { CommandLine, ReviewLaunchSpec } from '../types.js';
import { GEMINI_ENV, geminiStreamArgs } from './command.js';
import { secretPathRules, toGeminiPolicyToml } from './policy-rules.js';

/**
 * The reviewer's tool policy, at the user tier that `--policy` gives it: reading tools only, whatever
 * the approval mode, the workspace's own policies (a lower tier) or the model say.
 *
 * Plan mode alone is not read-only in headless runs of Gemini CLI 0.61: it lets the model write .md
 * plans and call exit_plan_mode, which its non-interactive policy approves by itself, and that
 * switches the run to YOLO mode, where every write and shell command is allowed (observed against the
 * loopback fake provider). With this policy those tools are not even offered to the model.
 */
export const GEMINI_REVIEW_POLICY = `# orchestrate reviewer: reading tools only.
[[rule]]
toolName = "*"
decision = "deny"
priority = 100
denyMessage = "This is a read-only review: only reading tools are available."

[[rule]]
toolName = ["read_file", "read_many_files", "list_directory", "glob", "grep_search"]
decision = "allow"
priority = 200
`;

/*
 * `gemini -p <prompt> --output-format stream-json --approval-mode plan --policy <file> ...`, env
 * GEMINI_CLI_NO_RELAUNCH=1 like every run. Gemini has no output-schema flag: the prompt asks for JSON
 * and the answer is the assistant text after the last tool call.
 */
// Builds the Gemini CLI invocation for one read-only review.
export function buildGeminiReviewCommand(spec: ReviewLaunchSpec, command: readonly string[]): CommandLine {
  const [file = 'gemini', ...lead] = command;
  const policyFile = join(spec.filesDir, 'gemini-review-policy.toml');
  const args = [...geminiStreamArgs(lead, spec, 'plan'), '--policy', policyFile];
  // The reading tools stay out of the secret paths: those rules outrank the allow above.
  const secretRules = secretPathRules(spec.policy?.secretPaths ?? []);
  const policy = secretRules.length === 0 ? GEMINI_REVIEW_POLICY : `${GEMINI_REVIEW_POLICY}\n${toGeminiPolicyToml('orchestrate: paths no agent may read.', secretRules)}`;
  return { file, args, env: GEMINI_ENV, cwd: spec.cwd, files: { [policyFile]: policy } };
}
