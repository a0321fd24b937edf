import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diffBetween } from '../../../src/adapters/git/diff.js';
import { git } from '../../../src/adapters/git/run-git.js';
import { snapshotWorktree } from '../../../src/adapters/git/snapshot.js';
import { createSessionWorktree, type SessionWorktree } from '../../../src/adapters/git/worktree.js';
import { createGitSandbox, createRepo, writeFiles, type GitSandbox } from './git-sandbox.js';

let sandbox: GitSandbox;
let wt: SessionWorktree;
beforeEach(async () => {
  sandbox = await createGitSandbox();
  const target = await createRepo(sandbox, 'target', { 'a.txt': 'a\n', '.gitignore': 'ignored.txt\n' });
  wt = await createSessionWorktree({ repoRoot: target, worktreesDir: join(sandbox.dir, 'wts'), sessionId: 's1' });
});
afterEach(async () => {
  await sandbox.cleanup();
});

describe('snapshotWorktree', () => {
  it('commits the work in progress, untracked files included, without moving HEAD or the index', async () => {
    await writeFiles(wt.path, { 'a.txt': 'a changed\n', 'new.txt': 'new\n', 'ignored.txt': 'secret\n' });
    await git(wt.path, ['add', 'a.txt']);
    const statusBefore = await git(wt.path, ['status', '--porcelain']);
    const sha = await snapshotWorktree(wt.path);
    expect(await git(wt.path, ['rev-parse', 'HEAD'])).toBe(wt.baseSha);
    expect(await git(wt.path, ['status', '--porcelain'])).toBe(statusBefore);
    const diff = await diffBetween({ worktree: wt.path, from: wt.baseSha, to: sha });
    expect(diff.files.map((f) => f.path)).toEqual(['a.txt', 'new.txt']);
    expect(diff.text).toContain('+a changed');
  });

  it('is the same tree as HEAD when nothing changed', async () => {
    const sha = await snapshotWorktree(wt.path);
    expect((await diffBetween({ worktree: wt.path, from: wt.baseSha, to: sha })).files).toEqual([]);
  });
});
