import { describe, expect, it } from 'vitest';
import { assignPhases, createDefaultPlan, PlanSchema, selectTier, type AgentName } from '../../src/domain/index.js';

const set = (...agents: AgentName[]) => new Set(agents);

describe('selectTier', () => {
  it.each([
    [set('claude', 'codex', 'gemini'), 'trio'],
    [set('gemini', 'claude'), 'gemini-claude'],
    [set('gemini', 'codex'), 'gemini-codex'],
    [set('claude', 'codex'), 'claude-codex'],
    [set('claude'), 'solo-claude'],
    [set('codex'), 'solo-codex'],
    [set('gemini'), 'solo-gemini'],
    [set(), 'none'],
  ])('picks the best tier for %s', (available, tier) => {
    expect(selectTier(available).id).toBe(tier);
  });
});

describe('assignPhases', () => {
  const plan = createDefaultPlan();

  it('gives each phase its preferred agent when all are there', () => {
    expect(assignPhases(plan, set('claude', 'codex', 'gemini')).map((a) => a.agent)).toEqual(['gemini', 'claude', 'codex']);
  });

  it.each([
    [set('claude', 'codex'), ['claude', 'claude', 'codex']],
    [set('gemini', 'codex'), ['gemini', 'codex', 'codex']],
    [set('gemini', 'claude'), ['gemini', 'claude', 'claude']],
    [set('codex'), ['codex', 'codex', 'codex']],
  ])('moves roles of missing agents by preference with %s', (available, agents) => {
    const assignments = assignPhases(plan, available);
    expect(assignments.map((a) => a.agent)).toEqual(agents);
    for (const [index, assignment] of assignments.entries()) {
      const preferred = plan.phases[index]!.preferredAgent;
      expect(assignment.reassignedFrom).toBe(assignment.agent === preferred ? undefined : preferred);
    }
  });

  it('keeps the default split of the original system', () => {
    expect(plan.phases.map((p) => [p.role, p.share])).toEqual([
      ['architect', 0.45],
      ['implementer', 0.45],
      ['reviewer', 0.1],
    ]);
  });
});

describe('PlanSchema', () => {
  it('rejects duplicate phase ids and bad ids', () => {
    const phase = createDefaultPlan().phases[0]!;
    expect(PlanSchema.safeParse({ phases: [phase, phase] }).success).toBe(false);
    expect(PlanSchema.safeParse({ phases: [{ ...phase, id: 'Design Phase' }] }).success).toBe(false);
  });
});
