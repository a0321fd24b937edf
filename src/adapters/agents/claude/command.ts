import { join } from 'node:path';
import type { CommandLine, LaunchSpec } from '../types.js';
import { getExtraWritableRoots, getPolicyFilesDir } from '../shared/launch-policy.js';
import { toPromptArg } from '../shared/prompt-arg.js';
import { buildClaudeMcpConfig, claudeMcpToolNames } from './mcp-config.js';
import { buildClaudeSettings } from './settings.js';

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
  // The file tools write only inside the working directories, so every writable root is one.
  const dirs = [...spec.extraDirs, ...getExtraWritableRoots(spec)];
  if (dirs.length > 0) args.push('--add-dir', ...dirs);
  if (spec.model !== undefined) args.push('--model', spec.model);
  // Hidden in --help but honoured: the run ends with result subtype error_max_turns.
  if (spec.maxTurns !== undefined) args.push('--max-turns', String(spec.maxTurns));
  // Sessions are stored per cwd: resuming works only from the cwd the session was recorded with.
  if (spec.resumeSessionId !== undefined) args.push('--resume', spec.resumeSessionId);
  const files = { ...addMcpConfig(args, spec), ...addPolicySettings(args, spec) };
  return { file, args, env: {}, cwd: spec.cwd, ...(Object.keys(files).length > 0 ? { files } : {}) };
}

// --mcp-config <file>: a file rather than inline JSON keeps the server's secret off the command line.
function addMcpConfig(args: string[], spec: LaunchSpec): Record<string, string> {
  if (!spec.mcp) return {};
  const configFile = join(spec.mcp.dir, 'claude-mcp.json');
  args.push('--mcp-config', configFile);
  return { [configFile]: buildClaudeMcpConfig(spec.mcp) };
}

// --settings <file>: the policy as sandbox settings and deny rules (settings.ts).
function addPolicySettings(args: string[], spec: LaunchSpec): Record<string, string> {
  if (!spec.policy) return {};
  const settingsFile = join(getPolicyFilesDir(spec), 'claude-settings.json');
  args.push('--settings', settingsFile);
  return { [settingsFile]: `${JSON.stringify(buildClaudeSettings(spec.policy), null, 2)}\n` };
}
