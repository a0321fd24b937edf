import type { CommandLine, LaunchSpec } from '../types.js';
import { toPromptArg } from '../shared/prompt-arg.js';
import { buildCodexMcpOverrides } from './mcp-config.js';
import { buildCodexSandboxArgs } from './sandbox-args.js';

/*
 * `codex exec --json --sandbox workspace-write -c approval_policy="never" -C <cwd> ...` (REPORT.md 2.1).
 * exec has no -a flag, hence the -c override; its default sandbox is read-only. On resume every exec flag
 * must come before `resume`: `exec resume` rejects --sandbox, -C and --add-dir (runs/codex-resume-sandbox-after).
 * --max-turns has no Codex equivalent; the orchestrator's own deadlines bound the run instead. The policy
 * becomes the sandbox flags (sandbox-args.ts).
 */
// Builds the Codex invocation for one run (a new session, or `exec ... resume <id> <prompt>`).
export function buildCodexCommand(spec: LaunchSpec, command: readonly string[]): CommandLine {
  const [file = 'codex', ...lead] = command;
  const args = [
    ...lead,
    'exec',
    '--json',
    ...buildCodexSandboxArgs(spec),
    '-c',
    'approval_policy="never"',
    '-C',
    spec.cwd,
  ];
  // A missing --add-dir directory is accepted silently.
  for (const dir of spec.extraDirs) args.push('--add-dir', dir);
  if (spec.model !== undefined) args.push('-m', spec.model);
  // Outside a git repository Codex refuses to start: "Not inside a trusted directory ...".
  if (spec.skipTrust === true) args.push('--skip-git-repo-check');
  if (spec.mcp) args.push(...buildCodexMcpOverrides(spec.mcp));
  // Threads are global, so a resume works from any cwd.
  if (spec.resumeSessionId !== undefined) args.push('resume', spec.resumeSessionId);
  args.push(toPromptArg(spec.prompt));
  return { file, args, env: {}, cwd: spec.cwd };
}
