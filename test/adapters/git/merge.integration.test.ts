import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitCheckpoint } from '../../../src/adapters/git/checkpoint.js';
import { describeMerge } from '../../../src/adapters/git/merge.js';
import { createSessionWorktree } from '../../../src/adapters/git/worktree.js';
import { createGitSandbox, createRepo, writeFiles, type GitSandbox } from './git-sandbox.js';

let sandbox: GitSandbox;
beforeEach(async () => {
  sandbox = await createGitSandbox();
});
afterEach(async () => {
  await sandbox.cleanup();
});

// The identity of the user who runs the printed command.
const USER_ENV = { GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.com' };

describe('describeMerge', () => {
  it('quotes only what a shell would misread', () => {
    const command = describeMerge({ repoRoot: "/repos/it's a repo", branch: 'orchestrate/s1' });
    expect(command.argv).toEqual(['git', '-C', "/repos/it's a repo", 'merge', '--no-ff', '--no-edit', 'orchestrate/s1']);
    expect(command.text).toBe(`git -C '/repos/it'\\''s a repo' merge --no-ff --no-edit orchestrate/s1`);
  });

  it('prints a command that merges the session into the target when run in a shell', async () => {
    const target = await createRepo(sandbox, "it's a target", { 'a.txt': 'a\n' });
    const wt = await createSessionWorktree({ repoRoot: target, worktreesDir: join(sandbox.dir, 'wts'), sessionId: 's1' });
    await writeFiles(wt.path, { 'feature.txt': 'done\n' });
    const { sha } = await commitCheckpoint({ worktree: wt.path, message: 'phase' });

    const { text } = describeMerge({ repoRoot: target, branch: wt.branch });
    await execa(text, { shell: true, cwd: sandbox.dir, env: USER_ENV, stdin: 'ignore' });

    expect(await readFile(join(target, 'feature.txt'), 'utf8')).toBe('done\n');
    expect(await sandbox.run(target, 'log', '-1', '--format=%P|%s')).toBe(`${wt.baseSha} ${sha}|Merge branch 'orchestrate/s1'`);
    expect(await sandbox.run(target, 'status', '--porcelain')).toBe('');
  });
});
