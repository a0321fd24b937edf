import { describe, expect, it } from 'vitest';
import { buildPhasePrompt, CHANNEL_TOOLS, createDefaultPlan } from '../../src/domain/index.js';

describe('buildPhasePrompt', () => {
  const plan = createDefaultPlan();

  it.each(plan.phases.map((phase) => [phase.role, phase] as const))('tells the %s about the channel’s tools and the marker fallback', (_role, phase) => {
    const prompt = buildPhasePrompt('add a farewell function', plan, phase, []);
    expect(prompt).toContain('MCP server "orchestrate"');
    for (const tool of CHANNEL_TOOLS) {
      expect(prompt).toContain(`${tool.name}(${tool.argument})`);
      expect(prompt).toMatch(new RegExp(`^- \\[\\[orchestrate:${tool.kind}\\]\\] <`, 'm'));
    }
    expect(prompt.indexOf('report_milestone')).toBeLessThan(prompt.indexOf('[[orchestrate:milestone]]'));
  });
});
