import { join } from 'node:path';
import type { CommandLine, ReviewLaunchSpec } from '../types.js';
import { claudeStreamArgs } from './command.js';
import { buildClaudeReviewSettings } from './settings.js';

/**
 * The only built-in tools a Claude reviewer has. `--tools` removes every other one (Write, Edit, Bash,
 * ExitPlanMode, Task: a call gets "No such tool available"); the StructuredOutput tool that --json-schema
 * adds stays.
 */
export const CLAUDE_REVIEW_TOOLS = 'Read,Grep,Glob';

/*
 * `claude -p <prompt> --output-format stream-json --verbose --permission-mode plan --tools Read,Grep,Glob
 * --strict-mcp-config --json-schema <schema>`. Plan mode tells the model to change nothing and denies
 * whatever is not read-only; --tools is what makes it certain. --strict-mcp-config loads no MCP server
 * (their tools are outside --tools). With --json-schema the CLI offers the model a StructuredOutput tool
 * whose input must match the schema, and the result line carries that input as `structured_output`
 * (observed with 2.1.197); a model that answers in plain text is nudged once, then its text is the result.
 */
// Builds the Claude Code invocation for one read-only review.
export function buildClaudeReviewCommand(spec: ReviewLaunchSpec, command: readonly string[]): CommandLine {
  const [file = 'claude', ...lead] = command;
  const args = [
    ...claudeStreamArgs(lead, spec.prompt, 'plan'),
    '--tools',
    CLAUDE_REVIEW_TOOLS,
    '--strict-mcp-config',
    '--json-schema',
    JSON.stringify(spec.schema),
  ];
  // Reading outside the cwd needs the directory allowed, as writing does.
  if (spec.extraDirs.length > 0) args.push('--add-dir', ...spec.extraDirs);
  if (spec.model !== undefined) args.push('--model', spec.model);
  const secretPaths = spec.policy?.secretPaths ?? [];
  if (secretPaths.length === 0) return { file, args, env: {}, cwd: spec.cwd };
  // Read deny rules keep Read, Grep and Glob out of the secret paths.
  const settingsFile = join(spec.filesDir, 'claude-review-settings.json');
  args.push('--settings', settingsFile);
  return { file, args, env: {}, cwd: spec.cwd, files: { [settingsFile]: `${JSON.stringify(buildClaudeReviewSettings(secretPaths), null, 2)}\n` } };
}
