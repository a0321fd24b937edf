import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createSessionWorktree, excludeFromStatus, initRepository, inspectTarget, type SessionWorktree } from '../adapters/git/index.js';
import { OrchestrateError } from './errors.js';

export interface PreparedTarget {
  repoRoot: string;
  worktree: SessionWorktree;
  sessionDir: string;
}

// Checks the target, makes the session's worktree and branch and its directory in the workspace.
// The target itself is never edited: agents work in the worktree.
export async function prepareTarget(options: {
  target: string;
  workspace: string;
  sessionId: string;
  initTarget: boolean;
  extraDirs: readonly string[];
}): Promise<PreparedTarget> {
  const info = await inspectTarget(options.target);
  if (info.kind === 'missing') throw new OrchestrateError(`the target ${options.target} does not exist`);
  let repoRoot: string;
  if (info.kind === 'notRepo') {
    if (!options.initTarget) {
      throw new OrchestrateError(
        `the target ${options.target} is not a git repository. orchestrate works on a branch of its own and never edits a target in place: run \`git init\` there first, or pass --init to let orchestrate do it`,
      );
    }
    repoRoot = (await initRepository(options.target)).root;
  } else {
    repoRoot = info.root;
  }
  const sessionDir = join(options.workspace, 'sessions', options.sessionId);
  await mkdir(join(sessionDir, 'logs'), { recursive: true });
  // The workspace (worktrees, logs, state) must never show up as changes of the target.
  await excludeFromStatus(repoRoot, options.workspace);
  // Gemini exits on a missing --include-directories entry, so every extra directory must exist.
  for (const dir of options.extraDirs) await mkdir(dir, { recursive: true });
  const worktree = await createSessionWorktree({
    repoRoot,
    worktreesDir: join(options.workspace, 'worktrees'),
    sessionId: options.sessionId,
  });
  await stat(worktree.path);
  return { repoRoot, worktree, sessionDir };
}
