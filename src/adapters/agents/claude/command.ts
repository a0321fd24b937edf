import type { CommandLine, LaunchSpec } from '../types.js';
import { toPromptArg } from '../shared/prompt-arg.js';

/** Tools the run may use without asking: nobody can answer a permission prompt in `-p` mode. */
export const CLAUDE_ALLOWED_TOOLS = 'Bash Write Edit Read';

/*
 * `claude -p <prompt> --output-format stream-json --verbose ...` (REPORT.md 1.1). The prompt comes straight
 * after -p: --add-dir and --allowedTools are variadic and would swallow a positional placed after them.
 * cwd is the working directory (there is no flag); a missing --add-dir directory is silently ignored.
 */
// Builds the Claude Code invocation for one run.
export function buildClaudeCommand(spec: LaunchSpec, command: readonly string[]): CommandLine {
  const [file = 'claude', ...lead] = command;
  const args = [
    ...lead,
    '-p',
    toPromptArg(spec.prompt),
    '--output-format',
    'stream-json',
    '--verbose',
    '--permission-mode',
    'acceptEdits',
    '--allowedTools',
    CLAUDE_ALLOWED_TOOLS,
  ];
  if (spec.extraDirs.length > 0) args.push('--add-dir', ...spec.extraDirs);
  if (spec.model !== undefined) args.push('--model', spec.model);
  // Hidden in --help but honoured: the run ends with result subtype error_max_turns.
  if (spec.maxTurns !== undefined) args.push('--max-turns', String(spec.maxTurns));
  // Sessions are stored per cwd: resuming works only from the cwd the session was recorded with.
  if (spec.resumeSessionId !== undefined) args.push('--resume', spec.resumeSessionId);
  return { file, args, env: {}, cwd: spec.cwd };
}
