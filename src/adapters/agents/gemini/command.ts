import { join } from 'node:path';
import type { CommandLine, LaunchSpec } from '../types.js';
import { getExtraWritableRoots, getPolicyFilesDir } from '../shared/launch-policy.js';
import { toPromptArg } from '../shared/prompt-arg.js';
import { buildGeminiMcpHome } from './mcp-config.js';
import { buildGeminiPolicyRules, toGeminiPolicyToml } from './policy-rules.js';

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
  // Its file tools write only inside the workspace directories, so every writable root is one.
  const args = geminiStreamArgs(lead, { ...spec, extraDirs: [...spec.extraDirs, ...getExtraWritableRoots(spec)] }, 'yolo');
  // Sessions are per project (cwd): resuming works only from the cwd the session was recorded with.
  if (spec.resumeSessionId !== undefined) args.push('--resume', spec.resumeSessionId);
  const files = addPolicy(args, spec);
  const policyFiles = files ? { files } : {};
  if (!spec.mcp) return { file, args, env: GEMINI_ENV, cwd: spec.cwd, ...policyFiles };
  const { env, configOverlay } = buildGeminiMcpHome(spec.mcp);
  return { file, args, env: { ...GEMINI_ENV, ...env }, cwd: spec.cwd, configOverlay, ...policyFiles };
}

/*
 * The policy: --sandbox when it is required, and --policy <file> with its rules (policy-rules.ts). Gemini
 * 0.61's sandbox runs the whole CLI in a container (docker or podman; sandbox-exec on macOS), so it cannot
 * cut the network of commands without cutting the CLI off its model too: the container keeps the network.
 */
function addPolicy(args: string[], spec: LaunchSpec): Record<string, string> | undefined {
  if (!spec.policy) return undefined;
  if (spec.policy.sandbox === 'required') args.push('--sandbox');
  const policyFile = join(getPolicyFilesDir(spec), 'gemini-policy.toml');
  args.push('--policy', policyFile);
  const rules = buildGeminiPolicyRules(spec.policy, spec.cwd);
  return { [policyFile]: toGeminiPolicyToml('orchestrate: what this run may not do.', rules) };
}

/*
 * By default gemini re-spawns itself as a child node process and makes the parent ignore SIGTERM, so a signal
 * to the pid we spawned does nothing (REPORT.md 3.3). The process layer signals the whole group anyway; with
 * NO_RELAUNCH there is one process that dies on SIGTERM as well, and no second Node heap. We lose only the
 * relaunch's larger --max-old-space-size; --sandbox still starts its container (observed with 0.61).
 */
export const GEMINI_ENV: Readonly<Record<string, string>> = { GEMINI_CLI_NO_RELAUNCH: '1' };
