import type { ConfigFile } from '../config.js';
import type { PolicyConfig } from '../policy-config.js';
import { normalizePath } from '../posix-path.js';
import { CREDENTIAL_HOME_PATHS, DEFAULT_COMMAND_RULES, PROTECTED_HOME_PATHS, PROTECTED_NAMES, WORKSPACE_STATE_NAMES, type CommandRuleLists } from './defaults.js';

/** The policy of one session: the config's policy section with its defaults applied and every path absolute. */
export interface EffectivePolicy {
  /** Where relative paths start: the session worktree. */
  cwd: string;
  /** The user's home directory, for `~` and `$HOME`. */
  home: string;
  /** Where agents may write and edit: the worktree, the extra directories, `policy.roots`, the temporary directories. */
  writableRoots: string[];
  /** Never written, even inside a writable root: the agents' and git's configuration, the shells' start-up files. */
  protectedPaths: string[];
  /** Never read nor written: credentials. */
  credentialPaths: string[];
  /** Never read nor written: the orchestrator's own state. */
  statePaths: string[];
  commands: CommandRuleLists;
  unparsable: PolicyConfig['unparsable'];
  network: boolean;
  sandbox: PolicyConfig['sandbox'];
  budgets: PolicyConfig['budgets'];
  limits: PolicyConfig['limits'];
  onViolation: PolicyConfig['onViolation'];
}

/** The directories a session's policy is resolved against, all absolute. */
export interface PolicyDirectories {
  worktree: string;
  workspace: string;
  /** The repository the session works on; `policy.roots` and `extraDirs` are relative to it. */
  target: string;
  extraDirs: readonly string[];
  home: string;
  /** Temporary directories, which the CLIs' own sandboxes leave writable too. */
  tempDirs?: readonly string[];
  /** More of the orchestrator's files no agent may touch (a database outside the workspace, the agent channel's directory). */
  stateFiles?: readonly string[];
}

// A path from the config or a command: `~` is the home directory, relative paths start at `base`.
export function toAbsolutePath(path: string, base: string, home: string): string {
  if (path === '~' || path.startsWith('~/')) return normalizePath(home + path.slice(1));
  return normalizePath(path, base);
}

// The policy one session runs under.
export function resolvePolicy(config: ConfigFile, dirs: PolicyDirectories): EffectivePolicy {
  const { policy } = config;
  const fromTarget = (path: string) => toAbsolutePath(path, dirs.target, dirs.home);
  const projectRoots = unique([normalizePath(dirs.worktree), ...dirs.extraDirs.map(fromTarget), ...policy.roots.map(fromTarget)]);
  const inHome = (path: string) => normalizePath(`${dirs.home}/${path}`);
  return {
    cwd: normalizePath(dirs.worktree),
    home: normalizePath(dirs.home),
    writableRoots: unique([...projectRoots, ...(dirs.tempDirs ?? []).map((dir) => normalizePath(dir))]),
    protectedPaths: unique([...projectRoots.flatMap((root) => PROTECTED_NAMES.map((name) => normalizePath(`${root}/${name}`))), ...PROTECTED_HOME_PATHS.map(inHome)]),
    credentialPaths: CREDENTIAL_HOME_PATHS.map(inHome),
    statePaths: unique([...WORKSPACE_STATE_NAMES.map((name) => normalizePath(`${dirs.workspace}/${name}`)), ...(dirs.stateFiles ?? []).map((file) => normalizePath(file))]),
    commands: {
      allow: policy.commands.allow ?? [...DEFAULT_COMMAND_RULES.allow],
      ask: policy.commands.ask ?? [...DEFAULT_COMMAND_RULES.ask],
      deny: policy.commands.deny ?? [...DEFAULT_COMMAND_RULES.deny],
    },
    unparsable: policy.unparsable,
    network: policy.network,
    sandbox: policy.sandbox,
    budgets: policy.budgets,
    limits: policy.limits,
    onViolation: policy.onViolation,
  };
}

function unique(paths: readonly string[]): string[] {
  return [...new Set(paths)];
}
