import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';

/** A temp directory plus a git environment with no global identity, restored by cleanup(). */
export interface GitSandbox {
  /** Symlink-free temp directory for repositories and worktrees. */
  dir: string;
  /** The file git reads as its global config (empty but for useConfigOnly). */
  globalConfig: string;
  /** Runs git as the test's "user" (an identity given with -c) and returns trimmed stdout; throws on failure. */
  run(cwd: string, ...args: string[]): Promise<string>;
  cleanup(): Promise<void>;
}

const ISOLATED_KEYS = [
  'HOME',
  'XDG_CONFIG_HOME',
  'GIT_CONFIG_GLOBAL',
  'GIT_CONFIG_NOSYSTEM',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'EMAIL',
];

// user.useConfigOnly stops git guessing an identity from the host, as on a CI machine with no global identity.
const GLOBAL_CONFIG = '[user]\n\tuseConfigOnly = true\n[init]\n\tdefaultBranch = main\n';

// Creates a temp dir and points every git the tests spawn (ours included) at an empty HOME and global config.
export async function createGitSandbox(): Promise<GitSandbox> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'orchestrate-git-')));
  const home = join(dir, 'home');
  const globalConfig = join(home, '.gitconfig');
  await mkdir(home);
  await writeFile(globalConfig, GLOBAL_CONFIG);
  const saved = new Map(ISOLATED_KEYS.map((key) => [key, process.env[key]]));
  for (const key of ISOLATED_KEYS) delete process.env[key];
  Object.assign(process.env, { HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_GLOBAL: globalConfig, GIT_CONFIG_NOSYSTEM: '1' });
  return {
    dir,
    globalConfig,
    run: async (cwd, ...args) => {
      const identity = ['-c', 'user.name=Test User', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false'];
      return (await execa('git', [...identity, ...args], { cwd })).stdout.trim();
    },
    cleanup: async () => {
      for (const [key, value] of saved) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// Writes files (path → content) under root, creating parent directories.
export async function writeFiles(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

// Creates a repository at sandbox.dir/name with one commit of the given files and returns its path.
export async function createRepo(sandbox: GitSandbox, name: string, files: Record<string, string>): Promise<string> {
  const root = join(sandbox.dir, name);
  await mkdir(root, { recursive: true });
  await sandbox.run(root, 'init', '--quiet');
  await writeFiles(root, files);
  await sandbox.run(root, 'add', '--all');
  await sandbox.run(root, 'commit', '--quiet', '--allow-empty', '-m', 'first');
  return root;
}
