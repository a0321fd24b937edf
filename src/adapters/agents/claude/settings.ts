import type { LaunchPolicy } from '../types.js';

/*
 * The `--settings` document that carries a run's policy into Claude Code 2.1 (setting names from the
 * installed binary's schema). Flag settings outrank the user's and the project's own, and deny rules
 * from any source win over every allow, --allowedTools included.
 *
 * The sandbox runs Bash and its children under bubblewrap (Linux; socat bridges its network proxy) or
 * Seatbelt (macOS); the file tools and MCP servers stay outside it, so the permission rules cover them.
 */

/**
 * `.claude/` is left to the CLI, which guards it on both sides: its sandbox keeps it read-only in every
 * writable root (with `.mcp.json`, `.git/hooks`, shell rc files), and its file tools ask before writing
 * anything in it, which a headless run refuses. Naming it in a rule breaks bubblewrap instead: the CLI
 * merges Edit rules into the sandbox's denyWrite, and every command then fails with "Can't create file
 * at .../.claude" (observed with 2.1.197).
 */
const GUARDED_BY_THE_CLI = /\/\.claude(\/|$)/;

/** What --settings holds: the subset of Claude Code's settings a policy sets. */
export interface ClaudePolicySettings {
  permissions: { deny: string[] };
  sandbox?: {
    enabled: boolean;
    failIfUnavailable: boolean;
    allowUnsandboxedCommands: boolean;
    filesystem: { allowWrite: string[]; denyWrite: string[]; denyRead: string[] };
    network: { allowedDomains: string[] };
  };
}

// A path permission rule for the path and everything below it; `//` starts an absolute path
// (a single `/` would be relative to the settings file).
function pathRules(tool: 'Read' | 'Edit', path: string): string[] {
  const absolute = `/${path.replace(/\/+$/, '')}`;
  return [`${tool}(${absolute})`, `${tool}(${absolute}/**)`];
}

// The protected paths the settings name: all but those the CLI guards itself.
function getProtectedPaths(policy: LaunchPolicy): string[] {
  return policy.protectedPaths.filter((path) => !GUARDED_BY_THE_CLI.test(path));
}

// `Bash(git push:*)` matches the command with any arguments, also inside `a && git push`.
function commandRule(command: string): string {
  return `Bash(${command}:*)`;
}

// The deny rules of a policy: its commands (ask ones too: nobody can answer a prompt in -p mode), writes to
// the protected paths, and any access to the secret ones.
function denyRules(policy: LaunchPolicy): string[] {
  return [
    ...[...policy.denyCommands, ...policy.askCommands].map(commandRule),
    ...getProtectedPaths(policy).flatMap((path) => pathRules('Edit', path)),
    ...policy.secretPaths.flatMap((path) => [...pathRules('Read', path), ...pathRules('Edit', path)]),
  ];
}

// The settings of a worker's run. With the sandbox off the CLI still sandboxes what it can, and runs
// unsandboxed with a warning where it cannot (failIfUnavailable false).
export function buildClaudeSettings(policy: LaunchPolicy): ClaudePolicySettings {
  return {
    permissions: { deny: denyRules(policy) },
    sandbox: {
      enabled: true,
      failIfUnavailable: policy.sandbox === 'required',
      // Otherwise the model may set dangerouslyDisableSandbox on a Bash call and leave the sandbox.
      allowUnsandboxedCommands: false,
      filesystem: {
        allowWrite: policy.writableRoots,
        denyWrite: getProtectedPaths(policy),
        denyRead: policy.secretPaths,
      },
      // "*" matches every host at the sandbox's proxy; an empty list refuses them all.
      network: { allowedDomains: policy.network ? ['*'] : [] },
    },
  };
}

// The settings of a reviewer: it has only reading tools, so only the secret paths need a rule.
export function buildClaudeReviewSettings(secretPaths: readonly string[]): ClaudePolicySettings {
  return { permissions: { deny: secretPaths.flatMap((path) => pathRules('Read', path)) } };
}
