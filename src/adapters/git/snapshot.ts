import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { orchestratorCommitArgs } from './identity.js';
import { git } from './run-git.js';

// A commit of the worktree as it is now, tracked, modified and untracked files alike (ignored ones
// excepted), made through a private index so that neither HEAD, the branch nor the worktree's own
// index moves: an agent may be working there. The commit is unreferenced; git collects it later.
export async function snapshotWorktree(worktree: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'orchestrate-snapshot-'));
  const indexFile = join(dir, 'index');
  try {
    await git(worktree, ['read-tree', 'HEAD'], { indexFile });
    await git(worktree, ['add', '--all'], { indexFile });
    const tree = await git(worktree, ['write-tree'], { indexFile });
    return await git(worktree, [...orchestratorCommitArgs(), 'commit-tree', tree, '-p', 'HEAD', '-m', 'orchestrate: worktree snapshot for a review']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
