import { normalizePath } from '../../../domain/index.js';
import { getPathBelow } from '../shared/launch-policy.js';
import { tomlString } from '../shared/toml.js';
import type { LaunchPolicy } from '../types.js';

/*
 * A run's policy as Gemini CLI 0.61 policy-engine rules, loaded with --policy at the user tier, above the
 * workspace's own policies. Rules the engine cannot load are skipped with only a line on stderr, so each
 * rule here keeps to what it accepts: commandPrefix for shell commands, and argsPattern regexes without a
 * quantified group (it refuses those as ReDoS risks). argsPattern is matched against the call's arguments
 * as JSON with sorted keys, each top-level pair wrapped in NUL characters.
 */

/** Above every rule the reviewer policy or a workspace sets at the same tier. */
const PRIORITY = 900;

const WRITING_TOOLS = ['write_file', 'replace'];
const FILE_TOOLS = ['read_file', 'read_many_files', 'list_directory', 'glob', 'grep_search', ...WRITING_TOOLS];
const WEB_TOOLS = ['web_fetch', 'google_web_search'];

/** One deny rule of a Gemini policy file. */
export interface GeminiRule {
  toolName: string | string[];
  commandPrefix?: string[];
  argsPattern?: string;
  denyMessage: string;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// A path value that is `path` or lies below it, as the model may write it: absolute, or relative to the
// cwd (`.claude/x`, `./.claude/x`) when the path is inside the cwd.
function pathValuePattern(path: string, cwd: string): string {
  const below = getPathBelow(path, cwd);
  const start = below === undefined ? escapeRegex(normalizePath(path)) : `(?:${escapeRegex(normalizePath(cwd))}/|\\./|)${escapeRegex(below)}`;
  return `${start}(?:/|")`;
}

function toToml(rule: GeminiRule): string {
  const toolName = Array.isArray(rule.toolName) ? `[${rule.toolName.map(tomlString).join(', ')}]` : tomlString(rule.toolName);
  const lines = ['[[rule]]', `toolName = ${toolName}`];
  if (rule.commandPrefix) lines.push(`commandPrefix = [${rule.commandPrefix.map(tomlString).join(', ')}]`);
  if (rule.argsPattern) lines.push(`argsPattern = ${tomlString(rule.argsPattern)}`);
  lines.push('decision = "deny"', `priority = ${PRIORITY}`, `denyMessage = ${tomlString(rule.denyMessage)}`);
  return lines.join('\n');
}

// The command rules: denied ones, and the ones a person must approve, which a headless run cannot ask about.
function commandRules(policy: LaunchPolicy): GeminiRule[] {
  const rules: GeminiRule[] = [];
  if (policy.denyCommands.length > 0) {
    rules.push({ toolName: 'run_shell_command', commandPrefix: policy.denyCommands, denyMessage: 'The orchestrate policy denies this command.' });
  }
  if (policy.askCommands.length > 0) {
    rules.push({ toolName: 'run_shell_command', commandPrefix: policy.askCommands, denyMessage: 'This command needs a person\'s approval, which this run cannot ask for.' });
  }
  return rules;
}

// No reading anything in a secret path, by any file tool (a path value or an include list entry).
export function secretPathRules(secretPaths: readonly string[]): GeminiRule[] {
  return secretPaths.map((path) => ({
    toolName: FILE_TOOLS,
    argsPattern: `(?:":"|":\\["|",")${escapeRegex(normalizePath(path))}(?:/|")`,
    denyMessage: 'The orchestrate policy keeps this path from agents.',
  }));
}

// The rules of a worker's run.
export function buildGeminiPolicyRules(policy: LaunchPolicy, cwd: string): GeminiRule[] {
  const protectedRules = policy.protectedPaths.map((path) => ({
    toolName: WRITING_TOOLS,
    argsPattern: `"file_path":"${pathValuePattern(path, cwd)}`,
    denyMessage: 'This path holds an agent\'s own configuration: the orchestrate policy protects it.',
  }));
  // The web tools run in the CLI's own process, outside any sandbox.
  const webRules = policy.network ? [] : [{ toolName: WEB_TOOLS, denyMessage: 'The orchestrate policy allows no network access.' }];
  return [...commandRules(policy), ...protectedRules, ...secretPathRules(policy.secretPaths), ...webRules];
}

// A policy file of rules.
export function toGeminiPolicyToml(heading: string, rules: readonly GeminiRule[]): string {
  return `# ${heading}\n${rules.map(toToml).join('\n\n')}\n`;
}
