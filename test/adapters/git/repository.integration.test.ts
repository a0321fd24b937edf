import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepository, inspectTarget } from '../../../src/adapters/git/repository.js';
import { createGitSandbox, createRepo, writeFiles, type GitSandbox } from './git-sandbox.js';

let sandbox: GitSandbox;
beforeEach(async () => {
  sandbox = await createGitSandbox();
});
afterEach(async () => {
  await sandbox.cleanup();
});

describe('inspectTarget', () => {
  it('reports a missing directory', async () => {
    expect(await inspectTarget(join(sandbox.dir, 'nope'))).toEqual({ kind: 'missing' });
  });

  it('reports a plain directory as notRepo', async () => {
    const dir = join(sandbox.dir, 'plain');
    await mkdir(dir);
    expect(await inspectTarget(dir)).toEqual({ kind: 'notRepo' });
  });

  it('reports the root, head and branch of a repository, also from a subdirectory', async () => {
    const root = await createRepo(sandbox, 'repo', { 'src/a.txt': 'a\n' });
    const head = await sandbox.run(root, 'rev-parse', 'HEAD');
    const expected = { kind: 'repo', root, head, branch: 'main' };
    expect(await inspectTarget(root)).toEqual(expected);
    expect(await inspectTarget(join(root, 'src'))).toEqual(expected);
  });

  it('reports a null head for a repository without commits', async () => {
    const root = join(sandbox.dir, 'empty');
    await mkdir(root);
    await sandbox.run(root, 'init', '--quiet');
    expect(await inspectTarget(root)).toEqual({ kind: 'repo', root, head: null, branch: 'main' });
  });

  it('reports a null branch when HEAD is detached', async () => {
    const root = await createRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    await sandbox.run(root, 'checkout', '--quiet', '--detach');
    expect(await inspectTarget(root)).toMatchObject({ kind: 'repo', branch: null });
  });

  it('throws GIT_NOT_A_DIRECTORY for a file', async () => {
    const file = join(sandbox.dir, 'file.txt');
    await writeFile(file, 'x');
    await expect(inspectTarget(file)).rejects.toMatchObject({ name: 'GitError', code: 'GIT_NOT_A_DIRECTORY' });
  });

  it('throws GIT_NOT_FOUND when git is not on PATH', async () => {
    const dir = join(sandbox.dir, 'plain');
    await mkdir(dir);
    const path = process.env.PATH;
    process.env.PATH = join(sandbox.dir, 'no-bin');
    try {
      await expect(inspectTarget(dir)).rejects.toMatchObject({ code: 'GIT_NOT_FOUND' });
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('initRepository', () => {
  it('runs where git has no identity of its own (the sandbox proves it)', async () => {
    const dir = join(sandbox.dir, 'bare-identity');
    await mkdir(dir);
    await execa('git', ['init', '--quiet'], { cwd: dir });
    const commit = await execa('git', ['commit', '--allow-empty', '-m', 'x'], { cwd: dir, reject: false });
    expect(commit.exitCode).not.toBe(0);
    expect(commit.stderr).toMatch(/auto-detection is disabled|Please tell me who you are/);
  });

  it('commits whatever the directory holds, as orchestrate when no identity is configured', async () => {
    const dir = join(sandbox.dir, 'project');
    await writeFiles(dir, { 'README.md': '# hi\n', 'src/main.ts': 'export {};\n' });
    const repo = await initRepository(dir);
    expect(repo).toMatchObject({ kind: 'repo', root: dir, branch: 'main' });
    expect(repo.head).toMatch(/^[0-9a-f]{40}$/);
    expect(await sandbox.run(dir, 'ls-files')).toBe('README.md\nsrc/main.ts');
    expect(await sandbox.run(dir, 'status', '--porcelain')).toBe('');
    expect(await sandbox.run(dir, 'log', '-1', '--format=%an <%ae>|%cn <%ce>')).toBe(
      'orchestrate <orchestrate@localhost>|orchestrate <orchestrate@localhost>',
    );
  });

  it('writes no identity into the repository config', async () => {
    const dir = join(sandbox.dir, 'project');
    await writeFiles(dir, { 'a.txt': 'a\n' });
    await initRepository(dir);
    await expect(sandbox.run(dir, 'config', '--local', '--get-regexp', '^user\\.')).rejects.toThrow();
  });

  it("uses the user's configured identity when there is one", async () => {
    await writeFile(sandbox.globalConfig, '[user]\n\tname = Ada\n\temail = ada@example.com\n[init]\n\tdefaultBranch = main\n');
    const dir = join(sandbox.dir, 'project');
    await writeFiles(dir, { 'a.txt': 'a\n' });
    await initRepository(dir);
    expect(await sandbox.run(dir, 'log', '-1', '--format=%an <%ae>')).toBe('Ada <ada@example.com>');
  });

  it('creates a missing directory with an empty first commit', async () => {
    const dir = join(sandbox.dir, 'new', 'project');
    const repo = await initRepository(dir);
    expect(repo.head).toMatch(/^[0-9a-f]{40}$/);
    expect(await sandbox.run(dir, 'ls-files')).toBe('');
  });

  it('refuses a directory that already is a repository', async () => {
    const root = await createRepo(sandbox, 'repo', { 'a.txt': 'a\n' });
    await expect(initRepository(root)).rejects.toMatchObject({ code: 'GIT_ALREADY_A_REPOSITORY' });
  });
});
