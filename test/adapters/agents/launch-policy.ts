import type { LaunchPolicy } from '../../../src/adapters/agents/types.js';

/** A session's policy as the runtime hands it to a run in the worktree /repo/wt, for the command tests. */
export const POLICY: LaunchPolicy = {
  sandbox: 'required',
  writableRoots: ['/repo/wt', '/a', '/roots/assets'],
  network: false,
  denyCommands: ['git push', 'rm -rf'],
  askCommands: ['npm publish'],
  protectedPaths: ['/repo/wt/.claude', '/repo/wt/.codex', '/repo/wt/.gemini', '/repo/wt/.mcp.json', '/repo/.git/hooks'],
  secretPaths: ['/home/u/.ssh', '/home/u/.aws', '/ws/sessions'],
};

/** The run's private directory, where its policy files go. */
export const FILES_DIR = '/run/w1';
