import { runGit } from './run-git.js';

/** The name and email the orchestrator's own commits are made with. */
export const ORCHESTRATOR_IDENTITY = { name: 'orchestrate', email: 'orchestrate@localhost' } as const;

// A user's commit.gpgsign would make every checkpoint prompt for a key (or fail on CI), so our commits never sign.
const NO_SIGNING = ['-c', 'commit.gpgsign=false'];

// `-c` arguments that make a commit the orchestrator's own; no git config is ever written.
export function orchestratorCommitArgs(): string[] {
  return ['-c', `user.name=${ORCHESTRATOR_IDENTITY.name}`, '-c', `user.email=${ORCHESTRATOR_IDENTITY.email}`, ...NO_SIGNING];
}

// `-c` arguments for a commit made on the user's behalf: their identity when configured, ours for what is missing.
export async function fallbackIdentityArgs(cwd: string): Promise<string[]> {
  const args = [...NO_SIGNING];
  if (!(await hasConfig(cwd, 'user.name'))) args.push('-c', `user.name=${ORCHESTRATOR_IDENTITY.name}`);
  if (!(await hasConfig(cwd, 'user.email'))) args.push('-c', `user.email=${ORCHESTRATOR_IDENTITY.email}`);
  return args;
}

async function hasConfig(cwd: string, key: string): Promise<boolean> {
  const result = await runGit(cwd, ['config', '--get', key]);
  return result.exitCode === 0 && result.stdout.trim() !== '';
}
