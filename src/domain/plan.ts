import { z } from 'zod';
import { AgentNameSchema, RoleSchema, type AgentName, type Role } from './agents.js';

/** One phase of a plan: a role does one part of the task. Phases run in order. */
export const PhaseSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'use lowercase letters, digits and dashes, starting with a letter'),
  title: z.string().min(1),
  role: RoleSchema,
  /** The agent this phase should go to when it is available. */
  preferredAgent: AgentNameSchema,
  /** Rough share of the whole task's work, between 0 and 1; shown to the agent and in the summary. */
  share: z.number().gt(0).max(1),
  instructions: z.string().min(1),
});
export type Phase = z.infer<typeof PhaseSchema>;

export const PlanSchema = z
  .object({ phases: z.array(PhaseSchema).min(1, 'a plan needs at least one phase') })
  .refine((plan) => new Set(plan.phases.map((p) => p.id)).size === plan.phases.length, {
    message: 'phase ids must be unique',
    path: ['phases'],
  });
export type Plan = z.infer<typeof PlanSchema>;

/** A phase given to a concrete agent for this session. */
export interface Assignment {
  phaseId: string;
  role: Role;
  agent: AgentName;
  /** Set when the phase's preferred agent was unavailable. */
  reassignedFrom?: AgentName;
}

/**
 * Who takes a role when its preferred agent is missing, best first. Gemini's long context
 * suits design, Claude implements, Codex runs and checks.
 */
export const ROLE_PREFERENCE: Record<Role, readonly AgentName[]> = {
  architect: ['gemini', 'claude', 'codex'],
  implementer: ['claude', 'codex', 'gemini'],
  reviewer: ['codex', 'claude', 'gemini'],
};

// The plan of the original system: design ~45%, implementation ~45%, validation ~10%.
export function createDefaultPlan(): Plan {
  return {
    phases: [
      {
        id: 'design',
        title: 'Design',
        role: 'architect',
        preferredAgent: 'gemini',
        share: 0.45,
        instructions:
          'Study the repository and the task. Write the design in DESIGN.md at the repository root: the modules to add or change, their interfaces, the risks, and the tests that prove the work. Do not implement it.',
      },
      {
        id: 'implement',
        title: 'Implementation',
        role: 'implementer',
        preferredAgent: 'claude',
        share: 0.45,
        instructions:
          'Implement the task following DESIGN.md. Keep changes focused, add or update tests, and leave the repository building.',
      },
      {
        id: 'validate',
        title: 'Validation',
        role: 'reviewer',
        preferredAgent: 'codex',
        share: 0.1,
        instructions:
          "Run the project's tests and checks. Report what passed and what failed in VALIDATION.md, with the commands you ran. Fix nothing yourself.",
      },
    ],
  };
}

// Gives each phase to its preferred agent, or to the next available one by ROLE_PREFERENCE.
export function assignPhases(plan: Plan, available: ReadonlySet<AgentName>): Assignment[] {
  return plan.phases.map((phase) => {
    const agent = pickAgent(phase, available);
    if (agent === undefined) throw new Error('assignPhases needs at least one available agent');
    return agent === phase.preferredAgent
      ? { phaseId: phase.id, role: phase.role, agent }
      : { phaseId: phase.id, role: phase.role, agent, reassignedFrom: phase.preferredAgent };
  });
}

function pickAgent(phase: Phase, available: ReadonlySet<AgentName>): AgentName | undefined {
  if (available.has(phase.preferredAgent)) return phase.preferredAgent;
  return ROLE_PREFERENCE[phase.role].find((agent) => available.has(agent));
}
