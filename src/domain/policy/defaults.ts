/*
 * The built-in policy: the command rules a config gets when it gives no list, and the paths that
 * are protected whatever the config says.
 */

/** The three lists of command rules. Deny wins over ask, ask over allow; a command no rule names is allowed. */
export interface CommandRuleLists {
  allow: string[];
  ask: string[];
  deny: string[];
}

/**
 * Each list applies when the config leaves it out. Deny: taking root, and tools that wipe disks or
 * stop the machine. Ask: what leaves the machine or is hard to take back (pushes, publishing),
 * what installs code from a registry, git's global configuration, and killing processes by name
 * (the orchestrator is one). Writes and deletes outside the allowed roots (`rm -rf /`, `rm -rf ~`)
 * and reading credentials are denied by the path checks, whatever the spelling; a script piped
 * into a shell (`curl … | sh`) is a command the policy cannot read.
 */
export const DEFAULT_COMMAND_RULES: Readonly<CommandRuleLists> = Object.freeze({
  deny: [
    'sudo',
    'su',
    'doas',
    'pkexec',
    'run0',
    'mkfs',
    'fdisk',
    'sfdisk',
    'parted',
    'wipefs',
    'shutdown',
    'reboot',
    'poweroff',
    'halt',
    'systemctl poweroff',
    'systemctl reboot',
    'systemctl halt',
  ],
  ask: [
    'git push',
    'git push --force',
    'git config --global',
    'npm publish',
    'pnpm publish',
    'yarn publish',
    'cargo publish',
    'gem push',
    'twine upload',
    'docker push',
    'npm install',
    'pnpm add',
    'yarn add',
    'yarn global add',
    'bun add',
    'pip install',
    'uv pip install',
    'uv add',
    'poetry add',
    'pipx install',
    'cargo install',
    'cargo add',
    'gem install',
    'go install',
    'go get',
    'apt-get install',
    'apt install',
    'brew install',
    'dnf install',
    'yum install',
    'apk add',
    'conda install',
    'pkill',
    'killall',
    'crontab',
  ],
  allow: [],
});

/** In the worktree, the extra directories and `policy.roots`: the agents' own configuration (CVE-2026-25725), git's hooks and config, orchestrate's config. */
export const PROTECTED_NAMES: readonly string[] = ['.claude', '.codex', '.gemini', '.mcp.json', '.git', 'orchestrate.config.json'];

/** Under the home directory: the agents' and the shells' configuration. */
export const PROTECTED_HOME_PATHS: readonly string[] = [
  '.claude',
  '.claude.json',
  '.codex',
  '.gemini',
  '.bashrc',
  '.bash_profile',
  '.bash_login',
  '.profile',
  '.zshrc',
  '.zshenv',
  '.zprofile',
  '.config/fish',
  '.gitconfig',
  '.config/git',
];

/** Under the home directory: credentials, which agents may neither read nor write. */
export const CREDENTIAL_HOME_PATHS: readonly string[] = [
  '.ssh',
  '.aws',
  '.azure',
  '.config/gcloud',
  '.kube',
  '.docker/config.json',
  '.gnupg',
  '.netrc',
  '.git-credentials',
  '.npmrc',
  '.pypirc',
  '.config/gh',
  '.password-store',
  '.vault-token',
  '.claude/.credentials.json',
  '.codex/auth.json',
  '.gemini/oauth_creds.json',
];

/** In the workspace: the orchestrator's own state (the event log, logs, the agent channel's files). */
export const WORKSPACE_STATE_NAMES: readonly string[] = ['orchestrate.db', 'orchestrate.db-wal', 'orchestrate.db-shm', 'sessions'];
