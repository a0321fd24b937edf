import { join } from 'node:path';
import type { CommandLine, ReviewLaunchSpec } from '../types.js';
import { toPromptArg } from '../shared/prompt-arg.js';

/*
 * `codex exec --json --sandbox read-only -c approval_policy="never" --output-schema <file> -C <cwd> ... <prompt>`.
 * The read-only sandbox is enforced by the OS: a shell command that writes fails with "Read-only file
 * system" and apply_patch is rejected ("writing is blocked by read-only sandbox"), and with approvals at
 * "never" nothing can ask to leave it. --add-dir only names workspace roots here; it makes nothing
 * writable in read-only mode (observed with 0.169: the permission profile stays read-only). --output-schema
 * takes a file and sends the schema to the model as a strict JSON output format; the answer is the last
 * agent_message, as JSON text.
 */
// Builds the Codex invocation for one read-only review.
export function buildCodexReviewCommand(spec: ReviewLaunchSpec, command: readonly string[]): CommandLine {
  const [file = 'codex', ...lead] = command;
  const schemaFile = join(spec.filesDir, 'codex-answer.schema.json');
  const args = [
    ...lead,
    'exec',
    '--json',
    '--sandbox',
    'read-only',
    '-c',
    'approval_policy="never"',
    '--output-schema',
    schemaFile,
    '-C',
    spec.cwd,
  ];
  for (const dir of spec.extraDirs) args.push('--add-dir', dir);
  if (spec.model !== undefined) args.push('-m', spec.model);
  if (spec.skipTrust === true) args.push('--skip-git-repo-check');
  args.push(toPromptArg(spec.prompt));
  return { file, args, env: {}, cwd: spec.cwd, files: { [schemaFile]: `${JSON.stringify(spec.schema, null, 2)}\n` } };
}
