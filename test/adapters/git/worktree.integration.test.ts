import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitCheckpoint } from '../../../src/adapters/git/checkpoint.js';
import { createSessionWorktree, removeSessionWorktree } from '../../../src/adapters/git/worktree.js';
import { createGitSandbox, createRepo, writeFiles, type GitSandbox } from './git-sandbox.js';

let sandbox: GitSandbox;
let target: string;
beforeEach(async () => {
  sandbox = await createGitSandbox();
  target = await createRepo(sandbox, 'target', { 'a.txt': 'original\n', 'src/b.txt': 'b\n' });
});
afterEach(async () => {
  await sandbox.cleanup();
});

// Changes tracked and untracked files in a worktree, as an agent would, and checkpoints them.
async function workIn(path: string): Promise<string> {
  await writeFiles(path, { 'a.txt': 'changed by the agent\n', 'new.txt': 'new\n' });
  return (await commitCheckpoint({ worktree: path, message: 'phase 1' })).sha;
}

describe('createSessionWorktree', () => {
  it('checks out a new session branch at HEAD outside the target', async () => {
    const head = await sandbox.run(target, 'rev-parse', 'HEAD');
    const worktreesDir = join(sandbox.dir, 'worktrees');
    const wt = await createSessionWorktree({ repoRoot: target, worktreesDir, sessionId: 's1' });
    expect(wt).toEqual({ path: join(worktreesDir, 's1'), branch: 'orchestrate/s1', baseSha: head });
    expect(await sandbox.run(wt.path, 'symbolic-ref', '--short', 'HEAD')).toBe('orchestrate/s1');
    expect(await readFile(join(wt.path, 'src/b.txt'), 'utf8')).toBe('b\n');
  });

  it('leaves the target untouched while the worktree changes and checkpoints', async () => {
    const head = await sandbox.run(target, 'rev-parse', 'HEAD');
    const wt = await createSessionWorktree({ repoRoot: target, worktreesDir: join(sandbox.dir, 'wts'), sessionId: 's1' });
    const sha = await workIn(wt.path);
    expect(await sandbox.run(target, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(await sandbox.run(target, 'rev-parse', 'HEAD')).toBe(head);
    expect(await readFile(join(target, 'a.txt'), 'utf8')).toBe('original\n');
    expect(await sandbox.run(target, 'rev-parse', 'orchestrate/s1')).toBe(sha);
  });

  it('keeps the target status clean when the worktrees dir is inside the target', async () => {
    const worktreesDir = join(target, '.orchestrate', 'worktrees');
    const first = await createSessionWorktree({ repoRoot: target, worktreesDir, sessionId: 's1' });
    await createSessionWorktree({ repoRoot: target, worktreesDir, sessionId: 's2' });
    await workIn(first.path);
    expect(await sandbox.run(target, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    const exclude = await readFile(join(target, '.git', 'info', 'exclude'), 'utf8');
    expect(exclude.split('\n').filter((line) => line === '/.orchestrate/worktrees/')).toHaveLength(1);
    await expect(stat(join(target, '.gitignore'))).rejects.toThrow();
  });

  it('starts from baseRef when given', async () => {
    const first = await sandbox.run(target, 'rev-parse', 'HEAD');
    await writeFile(join(target, 'a.txt'), 'second\n');
    await sandbox.run(target, 'commit', '--quiet', '-am', 'second');
    const wt = await createSessionWorktree({ repoRoot: target, worktreesDir: join(sandbox.dir, 'wts'), sessionId: 's1', baseRef: first });
    expect(wt.baseSha).toBe(first);
    expect(await readFile(join(wt.path, 'a.txt'), 'utf8')).toBe('original\n');
  });

  it('refuses a repository without commits', async () => {
    const empty = join(sandbox.dir, 'empty');
    await writeFiles(empty, { 'a.txt': 'a\n' });
    await sandbox.run(empty, 'init', '--quiet');
    const options = { repoRoot: empty, worktreesDir: join(sandbox.dir, 'wts'), sessionId: 's1' };
    await expect(createSessionWorktree(options)).rejects.toMatchObject({ code: 'GIT_NO_COMMITS' });
  });

  it.each([
    ['an unknown baseRef', { baseRef: 'no-such-branch' }, 'GIT_BAD_REVISION'],
    ['an option-like baseRef', { baseRef: '--all' }, 'GIT_BAD_REVISION'],
    ['a path-like session id', { sessionId: '../escape' }, 'GIT_INVALID_SESSION_ID'],
    ['a session id with a space', { sessionId: 'a b' }, 'GIT_INVALID_SESSION_ID'],
    ['a session id ending in .lock', { sessionId: 'x.lock' }, 'GIT_INVALID_SESSION_ID'],
  ])('refuses %s', async (_name, override, code) => {
    const options = { repoRoot: target, worktreesDir: join(sandbox.dir, 'wts'), sessionId: 's1', ...override };
    await expect(createSessionWorktree(options)).rejects.toMatchObject({ code });
  });

  it('refuses a directory that is not a repository', async () => {
    const options = { repoRoot: sandbox.dir, worktreesDir: join(sandbox.dir, 'wts'), sessionId: 's1' };
    await expect(createSessionWorktree(options)).rejects.toMatchObject({ code: 'GIT_NOT_A_REPOSITORY' });
  });

  it('refuses a session id that already has a worktree', async () => {
    const options = { repoRoot: target, worktreesDir: join(sandbox.dir, 'wts'), sessionId: 's1' };
    await createSessionWorktree(options);
    await expect(createSessionWorktree(options)).rejects.toMatchObject({ code: 'GIT_FAILED' });
  });
});

describe('removeSessionWorktree', () => {
  it('removes the checkout and keeps the branch with its checkpoints', async () => {
    const wt = await createSessionWorktree({ repoRoot: target, worktreesDir: join(sandbox.dir, 'wts'), sessionId: 's1' });
    const sha = await workIn(wt.path);
    await removeSessionWorktree({ repoRoot: target, path: wt.path });
    await expect(stat(wt.path)).rejects.toThrow();
    expect(await sandbox.run(target, 'worktree', 'list', '--porcelain')).not.toContain(wt.path);
    expect(await sandbox.run(target, 'rev-parse', wt.branch)).toBe(sha);
    await removeSessionWorktree({ repoRoot: target, path: wt.path });
  });

  it('refuses to discard uncommitted changes unless forced', async () => {
    const wt = await createSessionWorktree({ repoRoot: target, worktreesDir: join(sandbox.dir, 'wts'), sessionId: 's1' });
    await writeFiles(wt.path, { 'dirty.txt': 'x\n' });
    await expect(removeSessionWorktree({ repoRoot: target, path: wt.path })).rejects.toMatchObject({ code: 'GIT_WORKTREE_DIRTY' });
    await removeSessionWorktree({ repoRoot: target, path: wt.path, force: true });
    await expect(stat(wt.path)).rejects.toThrow();
  });
});
