import { chmod, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitCheckpoint } from '../../../src/adapters/git/checkpoint.js';
import { diffBetween } from '../../../src/adapters/git/diff.js';
import { createSessionWorktree, type SessionWorktree } from '../../../src/adapters/git/worktree.js';
import { createGitSandbox, createRepo, writeFiles, type GitSandbox } from './git-sandbox.js';

let sandbox: GitSandbox;
let target: string;
let wt: SessionWorktree;
beforeEach(async () => {
  sandbox = await createGitSandbox();
  target = await createRepo(sandbox, 'target', { 'a.txt': 'one\ntwo\n', 'gone.txt': 'bye\n', '.gitignore': '*.log\n' });
  wt = await createSessionWorktree({ repoRoot: target, worktreesDir: join(sandbox.dir, 'wts'), sessionId: 's1' });
});
afterEach(async () => {
  await sandbox.cleanup();
});

describe('commitCheckpoint', () => {
  it('commits every change of the phase as orchestrate and gives its exact diff', async () => {
    await writeFiles(wt.path, { 'a.txt': 'one\nTWO\n', 'b.txt': 'new\n' });
    await rm(join(wt.path, 'gone.txt'));
    const checkpoint = await commitCheckpoint({ worktree: wt.path, message: 'phase: implement' });
    expect(checkpoint).toEqual({ sha: await sandbox.run(wt.path, 'rev-parse', 'HEAD'), changed: true, files: ['a.txt', 'b.txt', 'gone.txt'] });
    expect(await sandbox.run(wt.path, 'log', '-1', '--format=%P|%an <%ae>|%cn|%s')).toBe(
      `${wt.baseSha}|orchestrate <orchestrate@localhost>|orchestrate|phase: implement`,
    );
    const diff = await diffBetween({ worktree: wt.path, from: wt.baseSha, to: checkpoint.sha });
    expect(diff.truncated).toBe(false);
    expect(diff.files).toEqual([
      { path: 'a.txt', added: 1, deleted: 1 },
      { path: 'b.txt', added: 1, deleted: 0 },
      { path: 'gone.txt', added: 0, deleted: 1 },
    ]);
    expect(diff.text).toContain('diff --git a/a.txt b/a.txt\n');
    expect(diff.text).toContain('--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n');
    expect(diff.text).toContain('new file mode 100644\n');
    expect(diff.text).toContain('--- /dev/null\n+++ b/b.txt\n@@ -0,0 +1 @@\n+new\n');
    expect(diff.text).toContain('deleted file mode 100644\n');
    expect(diff.text).toBe(`${await sandbox.run(wt.path, 'diff', wt.baseSha, checkpoint.sha)}\n`);
  });

  it('makes no commit for a phase that changed nothing', async () => {
    const checkpoint = await commitCheckpoint({ worktree: wt.path, message: 'phase: review' });
    expect(checkpoint).toEqual({ sha: wt.baseSha, changed: false, files: [] });
    expect(await sandbox.run(wt.path, 'rev-list', '--count', 'HEAD')).toBe('1');
    const diff = await diffBetween({ worktree: wt.path, from: wt.baseSha, to: checkpoint.sha });
    expect(diff).toEqual({ text: '', truncated: false, files: [] });
  });

  it('leaves ignored files out', async () => {
    await writeFiles(wt.path, { 'debug.log': 'noise\n', 'c.txt': 'c\n' });
    const checkpoint = await commitCheckpoint({ worktree: wt.path, message: 'phase' });
    expect(checkpoint.files).toEqual(['c.txt']);
  });

  it("skips the target's hooks and the user's signing config", async () => {
    const hook = join(target, '.git', 'hooks', 'pre-commit');
    await writeFile(hook, '#!/bin/sh\nexit 1\n');
    await chmod(hook, 0o755);
    await writeFile(sandbox.globalConfig, '[commit]\n\tgpgsign = true\n[gpg]\n\tprogram = false\n', { flag: 'a' });
    await writeFiles(wt.path, { 'c.txt': 'c\n' });
    const checkpoint = await commitCheckpoint({ worktree: wt.path, message: 'phase' });
    expect(checkpoint.changed).toBe(true);
  });
});
