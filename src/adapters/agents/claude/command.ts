import { join } from 'node:path';
import type { CommandLine, LaunchSpec } from '../types.js';
import { toPromptArg } from '../shared/prompt-arg.js';
import { buildClaudeMcpConfig, claudeMcpToolNames } from './mcp-config.js';

/** Tools the run may use without asking: nobody can answer a permission prompt in `-p` mode. */
export const CLAUDE_ALLOWED_TOOLS = 'Bash Write Edit Read';

/*
 * `claude -p <prompt> --output-format stream-json --verbose ...` (REPORT.md 1.1). The prompt comes straight
 * after -p: --add-dir and --allowedTools are variadic and would swallow a positional placed after them.
 * cwd is the working directory (there is no flag); a missing --add-dir directory is silently ignored.
 */
// The start of every Claude Code invocation: print mode streaming JSON, in a permission mode.
export function claudeStreamArgs(lead: readonly string[], prompt: string, permissionMode: 'acceptEdits' | 'plan'): string[] {
  return [...lead, '-p', toPromptArg(prompt), '--output-format', 'stream-json', '--verbose', '--permission-mode', permissionMode];
}

// Builds the Claude Code invocation for one run.
export function buildClaudeCommand(spec: LaunchSpec, command: readonly string[]): CommandLine {
  const [file = 'claude', ...lead] = command;
  const args = [
    ...claudeStreamArgs(lead, spec.prompt, 'acceptEdits'),
    '--allowedTools',
    spec.mcp ? [CLAUDE_ALLOWED_TOOLS, ...claudeMcpToolNames(spec.mcp)].join(' ') : CLAUDE_ALLOWED_TOOLS,
  ];
  if (spec.extraDirs.length > 0) args.push('--add-dir', ...spec.extraDirs);
  if (spec.model !== undefined) args.push('--model', spec.model);
  // Hidden in --help but honoured: the run ends with result subtype error_max_turns.
  if (spec.maxTurns !== undefined) args.push('--max-turns', String(spec.maxTurns));
  // Sessions are stored per cwd: resuming works only from the cwd the session was recorded with.
  if (spec.resumeSessionId !== undefined) args.push('--resume', spec.resumeSessionId);
  if (!spec.mcp) return { file, args, env: {}, cwd: spec.cwd };
  // A file rather than inline JSON keeps the server's secret off the command line.
  const configFile = join(spec.mcp.dir, 'claude-mcp.json');
  args.push('--mcp-config', configFile);
  return { file, args, env: {}, cwd: spec.cwd, files: { [configFile]: buildClaudeMcpConfig(spec.mcp) } };
}
