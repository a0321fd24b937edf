import { describe, expect, it } from 'vitest';
import { ADAPTERS, getAdapter } from '../../../src/adapters/agents/index.js';
import { AGENT_NAMES } from '../../../src/domain/index.js';

describe('ADAPTERS', () => {
  it('has one adapter per agent name, named after it', () => {
    expect(Object.keys(ADAPTERS).sort()).toEqual([...AGENT_NAMES].sort());
    for (const name of AGENT_NAMES) {
      expect(getAdapter(name).name).toBe(name);
      expect(getAdapter(name).defaultCommand).toEqual([name]);
      expect(getAdapter(name).versionArgs).toEqual(['--version']);
    }
  });

  it('gives every run its own normalizer', () => {
    for (const name of AGENT_NAMES) expect(getAdapter(name).createNormalizer()).not.toBe(getAdapter(name).createNormalizer());
  });
});
