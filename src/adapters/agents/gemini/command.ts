import type { CommandLine, LaunchSpec } from '../types.js';
import { toPromptArg } from '../shared/prompt-arg.js';
import { buildGeminiMcpHome } from './mcp-config.js';

/*
 * `gemini -p <prompt> --output-format stream-json --approval-mode yolo ...` (REPORT.md 3.1). Without yolo,
 * headless mode does not even register run_shell_command, write_file or replace. cwd is the workspace (no flag).
 * There is no max-turns flag (only the settings key model.maxSessionTurns), so spec.maxTurns is not passed.
 */
// The start of every Gemini CLI invocation: headless, streaming JSON, in an approval mode, with
// where it may work and which model.
export function geminiStreamArgs(lead: readonly string[], spec: Pick<LaunchSpec, 'prompt' | 'extraDirs' | 'skipTrust' | 'model'>, approvalMode: 'yolo' | 'plan'): string[] {
  const args = [...lead, '-p', toPromptArg(spec.prompt), '--output-format', 'stream-json', '--approval-mode', approvalMode];
  // A directory that does not exist is fatal here (unlike Claude and Codex): the caller passes only existing ones.
  if (spec.extraDirs.length > 0) args.push('--include-directories', spec.extraDirs.join(','));
  // Headless runs refuse an untrusted folder with exit 55.
  if (spec.skipTrust === true) args.push('--skip-trust');
  if (spec.model !== undefined) args.push('-m', spec.model);
  return args;
}

// Builds the Gemini CLI invocation for one run.
export function buildGeminiCommand(spec: LaunchSpec, command: readonly string[]): CommandLine {
  const [file = 'gemini', ...lead] = command;
  const args = geminiStreamArgs(lead, spec, 'yolo');
  // Sessions are per project (cwd): resuming works only from the cwd the session was recorded with.
  if (spec.resumeSessionId !== undefined) args.push('--resume', spec.resumeSessionId);
  if (!spec.mcp) return { file, args, env: GEMINI_ENV, cwd: spec.cwd };
  const { env, configOverlay } = buildGeminiMcpHome(spec.mcp);
  return { file, args, env: { ...GEMINI_ENV, ...env }, cwd: spec.cwd, configOverlay };
}

/*
 * By default gemini re-spawns itself as a child node process and makes the parent ignore SIGTERM, so a signal
 * to the pid we spawned does nothing (REPORT.md 3.3). The process layer signals the whole group anyway; with
 * NO_RELAUNCH there is one process that dies on SIGTERM as well, and no second Node heap. We lose only the
 * relaunch's larger --max-old-space-size and the container sandbox, which we do not use.
 */
export const GEMINI_ENV: Readonly<Record<string, string>> = { GEMINI_CLI_NO_RELAUNCH: '1' };
