import { describe, expect, it } from 'vitest';
import { ConfigFileSchema, formatConfigIssues, getEnabledAgents } from '../../src/domain/index.js';

describe('ConfigFileSchema', () => {
  it('fills defaults for an empty file', () => {
    const config = ConfigFileSchema.parse({});
    expect(config.timeouts).toEqual({ idleSeconds: 300, phaseSeconds: 3600, stopGraceSeconds: 5 });
    expect(getEnabledAgents(config)).toEqual(['claude', 'codex', 'gemini']);
  });

  it('leaves disabled agents out and intersects with a flag list', () => {
    const config = ConfigFileSchema.parse({ agents: { codex: { enabled: false } } });
    expect(getEnabledAgents(config)).toEqual(['claude', 'gemini']);
    expect(getEnabledAgents(config, ['codex', 'gemini'])).toEqual(['gemini']);
  });

  it.each([
    [{ agents: { claud: {} } }, /agents: unknown field "claud"|agents\.claud/],
    [{ agents: { claude: { command: 'claude' } } }, /agents\.claude\.command: /],
    [{ timeouts: { idleSeconds: -1 } }, /timeouts\.idleSeconds: /],
    [{ plan: { phases: [] } }, /plan/],
    [{ colour: 'red' }, /\(top level\): unknown field "colour"/],
  ])('explains %j in words', (input, expected) => {
    const result = ConfigFileSchema.safeParse(input);
    expect(result.success).toBe(false);
    const text = formatConfigIssues('orchestrate.config.json', result.error!);
    expect(text).toMatch(/^orchestrate\.config\.json is not valid:/);
    expect(text).toMatch(expected);
  });
});
