import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigOverlay } from '../../../src/adapters/agents/types.js';
import { buildConfigOverlay, mergeSettings, stripJsonComments } from '../../../src/adapters/process/config-overlay.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orchestrate-overlay-'));
  dirs.push(dir);
  return dir;
}

function overlayIn(root: string): ConfigOverlay {
  return {
    dir: join(root, 'private', 'home', '.gemini'),
    homeVariables: ['GEMINI_CLI_HOME', 'HOME'],
    subdir: '.gemini',
    keep: ['tmp', 'history'],
    settingsFile: 'settings.json',
    settings: { mcpServers: { orchestrate: { command: 'node', args: ['server.js'] } } },
  };
}

describe('buildConfigOverlay', () => {
  it('links every entry of the user’s directory and merges our settings over theirs, privately', () => {
    const root = scratch();
    const user = join(root, 'user', '.gemini');
    mkdirSync(join(user, 'extensions'), { recursive: true });
    writeFileSync(join(user, 'oauth_creds.json'), '{}');
    writeFileSync(join(user, 'settings.json'), '// mine\n{ "security": { "auth": { "selectedType": "gemini-api-key" } }, "mcpServers": { "docs": { "command": "docs" } } }');
    const overlay = overlayIn(root);
    buildConfigOverlay(overlay, { HOME: join(root, 'user') });

    for (const entry of ['extensions', 'oauth_creds.json', 'tmp', 'history']) {
      expect(lstatSync(join(overlay.dir, entry)).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(overlay.dir, entry))).toBe(join(user, entry));
    }
    // Sessions land in the user's own directory, so --resume finds them later.
    expect(statSync(join(user, 'tmp')).isDirectory()).toBe(true);
    const settingsFile = join(overlay.dir, 'settings.json');
    expect(lstatSync(settingsFile).isSymbolicLink()).toBe(false);
    expect(statSync(settingsFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(settingsFile, 'utf8'))).toEqual({
      security: { auth: { selectedType: 'gemini-api-key' } },
      mcpServers: { docs: { command: 'docs' }, orchestrate: { command: 'node', args: ['server.js'] } },
    });
  });

  it('prefers the first home variable that is set', () => {
    const root = scratch();
    mkdirSync(join(root, 'gemini-home', '.gemini'), { recursive: true });
    writeFileSync(join(root, 'gemini-home', '.gemini', 'settings.json'), '{"model":{"name":"m"}}');
    const overlay = overlayIn(root);
    buildConfigOverlay(overlay, { GEMINI_CLI_HOME: join(root, 'gemini-home'), HOME: join(root, 'nowhere') });
    expect(JSON.parse(readFileSync(join(overlay.dir, 'settings.json'), 'utf8')).model).toEqual({ name: 'm' });
  });

  it('writes only our settings, and creates nothing in the user’s home, when the user has no config directory', () => {
    const root = scratch();
    const overlay = overlayIn(root);
    buildConfigOverlay(overlay, { HOME: join(root, 'user') });
    expect(existsSync(join(root, 'user'))).toBe(false);
    expect(JSON.parse(readFileSync(join(overlay.dir, 'settings.json'), 'utf8'))).toEqual(overlay.settings);
  });
});

describe('mergeSettings', () => {
  it('merges objects key by key and replaces anything else', () => {
    expect(mergeSettings({ a: { b: 1, c: [1] }, d: 'x' }, { a: { c: [2], e: true }, d: { f: 1 } })).toEqual({ a: { b: 1, c: [2], e: true }, d: { f: 1 } });
  });
});

describe('stripJsonComments', () => {
  it('drops line and block comments but not comment-like text inside strings', () => {
    const text = '{\n  // a comment\n  "url": "http://x//y", /* block\n comment */ "q": "a \\" /* b */"\n}';
    expect(JSON.parse(stripJsonComments(text))).toEqual({ url: 'http://x//y', q: 'a " /* b */' });
  });
});
