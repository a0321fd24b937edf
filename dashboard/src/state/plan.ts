/** What the plan says about a phase: its title and the role that works on it. */
export interface PhasePlan {
  title: string;
  role: string;
}

// The phases of the plan a session.started entry carries, tolerating any shape (it is the server's input, echoed).
export function readPlan(input: unknown): Map<string, PhasePlan> {
  const phases = (input as { plan?: { phases?: unknown } } | undefined)?.plan?.phases;
  const plan = new Map<string, PhasePlan>();
  if (!Array.isArray(phases)) return plan;
  for (const phase of phases as Record<string, unknown>[]) {
    if (typeof phase?.id !== 'string') continue;
    plan.set(phase.id, { title: typeof phase.title === 'string' ? phase.title : phase.id, role: typeof phase.role === 'string' ? phase.role : '' });
  }
  return plan;
}
