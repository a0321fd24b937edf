import { describe, expect, it } from 'vitest';
import { createAgentEnvironment } from '../../../src/adapters/process/environment.js';

describe('createAgentEnvironment', () => {
  it.each([
    ['PATH', true],
    ['HOME', true],
    ['USER', true],
    ['LOGNAME', true],
    ['SHELL', true],
    ['LANG', true],
    ['LC_ALL', true],
    ['LC_CTYPE', true],
    ['TERM', true],
    ['TMPDIR', true],
    ['TZ', true],
    ['NODE_EXTRA_CA_CERTS', true],
    ['ANTHROPIC_API_KEY', true],
    ['ANTHROPIC_BASE_URL', true],
    ['CLAUDE_CONFIG_DIR', true],
    ['OPENAI_API_KEY', true],
    ['CODEX_HOME', true],
    ['GEMINI_API_KEY', true],
    ['GOOGLE_GEMINI_BASE_URL', true],
    ['GOOGLE_APPLICATION_CREDENTIALS', true],
    ['ORCHESTRATE_TOKEN', false],
    ['ORCHESTRATE_DASHBOARD_TOKEN', false],
    ['AWS_SECRET_ACCESS_KEY', false],
    ['GITHUB_TOKEN', false],
    ['SSH_AUTH_SOCK', false],
    ['NODE_OPTIONS', false],
    ['LD_PRELOAD', false],
    ['path', false],
    ['XLC_ALL', false],
    ['MY_ANTHROPIC_KEY', false],
  ])('%s is kept: %s', (name, kept) => {
    const env = createAgentEnvironment({ [name]: 'value' }, {});
    expect(name in env).toBe(kept);
  });

  it('keeps explicitly allowed names, but never ORCHESTRATE_*', () => {
    const env = createAgentEnvironment(
      { HTTPS_PROXY: 'http://proxy', NO_PROXY: 'localhost', ORCHESTRATE_TOKEN: 'secret', OTHER: 'x' },
      {},
      ['HTTPS_PROXY', 'NO_PROXY', 'ORCHESTRATE_TOKEN'],
    );
    expect(env).toEqual({ HTTPS_PROXY: 'http://proxy', NO_PROXY: 'localhost' });
  });

  it('adds extra variables over the base, dropping ORCHESTRATE_* there too', () => {
    const env = createAgentEnvironment(
      { PATH: '/bin', CODEX_HOME: 'old' },
      { CODEX_HOME: 'new', IS_SANDBOX: '1', ORCHESTRATE_TOKEN: 'secret' },
    );
    expect(env).toEqual({ PATH: '/bin', CODEX_HOME: 'new', IS_SANDBOX: '1' });
  });

  it('skips undefined values and does not touch its input', () => {
    const base: NodeJS.ProcessEnv = { PATH: '/bin', HOME: undefined };
    const env = createAgentEnvironment(base, {});
    expect(env).toEqual({ PATH: '/bin' });
    env.PATH = 'changed';
    expect(base.PATH).toBe('/bin');
  });
});
