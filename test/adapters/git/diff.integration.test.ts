import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitCheckpoint } from '../../../src/adapters/git/checkpoint.js';
import { diffBetween, parseNumstat } from '../../../src/adapters/git/diff.js';
import { createSessionWorktree, type SessionWorktree } from '../../../src/adapters/git/worktree.js';
import { createGitSandbox, createRepo, writeFiles, type GitSandbox } from './git-sandbox.js';

let sandbox: GitSandbox;
let wt: SessionWorktree;
beforeEach(async () => {
  sandbox = await createGitSandbox();
  const target = await createRepo(sandbox, 'target', { 'a.txt': 'a\n' });
  wt = await createSessionWorktree({ repoRoot: target, worktreesDir: join(sandbox.dir, 'wts'), sessionId: 's1' });
});
afterEach(async () => {
  await sandbox.cleanup();
});

describe('diffBetween', () => {
  it('caps the text at maxBytes on a line boundary and still counts every file', async () => {
    const big = Array.from({ length: 200 }, (_, i) => `line ${i} é\n`).join('');
    await writeFiles(wt.path, { 'big.txt': big, 'z.txt': 'z\n' });
    const { sha } = await commitCheckpoint({ worktree: wt.path, message: 'big' });
    const diff = await diffBetween({ worktree: wt.path, from: wt.baseSha, to: sha, maxBytes: 500 });
    expect(diff.truncated).toBe(true);
    expect(Buffer.byteLength(diff.text)).toBeLessThanOrEqual(500);
    expect(diff.text.startsWith('diff --git a/big.txt b/big.txt\n')).toBe(true);
    expect(diff.text.endsWith('é\n')).toBe(true);
    expect(diff.files).toEqual([
      { path: 'big.txt', added: 200, deleted: 0 },
      { path: 'z.txt', added: 1, deleted: 0 },
    ]);
  });

  it('gives null counts for binary files and keeps odd paths whole', async () => {
    await writeFiles(wt.path, { 'img.bin': new Uint8Array([0, 1, 2, 0, 255]), 'tab\there .txt': 'x\n' });
    const { sha } = await commitCheckpoint({ worktree: wt.path, message: 'binary' });
    const diff = await diffBetween({ worktree: wt.path, from: wt.baseSha, to: sha });
    expect(diff.files).toEqual([
      { path: 'img.bin', added: null, deleted: null },
      { path: 'tab\there .txt', added: 1, deleted: 0 },
    ]);
    expect(diff.text).toContain('Binary files /dev/null and b/img.bin differ\n');
  });

  it('throws GIT_BAD_REVISION for a revision that names no commit', async () => {
    await expect(diffBetween({ worktree: wt.path, from: wt.baseSha, to: 'nope' })).rejects.toMatchObject({ code: 'GIT_BAD_REVISION' });
  });
});

describe('parseNumstat', () => {
  it('reads NUL-terminated records', () => {
    expect(parseNumstat('3\t1\ta.txt\0-\t-\tb.bin\0')).toEqual([
      { path: 'a.txt', added: 3, deleted: 1 },
      { path: 'b.bin', added: null, deleted: null },
    ]);
  });
});
