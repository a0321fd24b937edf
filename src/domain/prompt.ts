import type { Phase, Plan } from './plan.js';

/** What earlier phases produced, as the next agent should hear it. */
export interface PhaseHandoff {
  phaseId: string;
  title: string;
  agent: string;
  summary: string;
  files: readonly string[];
}

const MARKERS = [
  'When you reach a milestone, write a line: [[orchestrate:milestone]] <what is done>',
  'When you are blocked, write a line: [[orchestrate:blocker]] <what blocks you>',
  'When you want your work reviewed, write a line: [[orchestrate:review]] <what to look at>',
];

// The prompt one phase's agent receives: the task, its role and share, what came before, the channel.
export function buildPhasePrompt(task: string, plan: Plan, phase: Phase, handoffs: readonly PhaseHandoff[]): string {
  const position = plan.phases.findIndex((p) => p.id === phase.id) + 1;
  const lines = [
    `You are one of several coding agents working on one task, each in turn, on the same git worktree.`,
    `Your role: ${phase.role}.`,
    `Phase ${position} of ${plan.phases.length}: ${phase.title} (about ${Math.round(phase.share * 100)}% of the work).`,
    '',
    'The task:',
    task,
    '',
    'Your instructions for this phase:',
    phase.instructions,
  ];
  if (handoffs.length > 0) {
    lines.push('', 'Earlier phases:');
    for (const handoff of handoffs) {
      const files = handoff.files.length > 0 ? ` Files changed: ${handoff.files.join(', ')}.` : '';
      lines.push(`- ${handoff.title} by ${handoff.agent}: ${handoff.summary || 'no summary'}.${files}`);
    }
  }
  lines.push('', 'Report progress to the orchestrator in your messages:', ...MARKERS.map((m) => `- ${m}`));
  lines.push('', 'Work only inside the working directory. End with a short summary of what you did.');
  return lines.join('\n');
}

// The message an interrupted agent gets when its own conversation is resumed after a restart.
export function buildResumePrompt(): string {
  return [
    'The orchestrator was restarted while you were working on this phase.',
    'Continue the task from where you stopped, in the same working directory, and finish this phase.',
    'End with a short summary of what you did.',
  ].join('\n');
}
