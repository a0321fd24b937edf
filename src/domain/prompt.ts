import { CHANNEL_SERVER_NAME, CHANNEL_TOOLS } from './agent-channel.js';
import type { Role } from './agents.js';
import type { Phase, Plan } from './plan.js';

/** What earlier phases produced, as the next agent should hear it. */
export interface PhaseHandoff {
  phaseId: string;
  title: string;
  agent: string;
  summary: string;
  files: readonly string[];
}

/** When each role has something to report, so the tools are not left for the last message. */
const REPORT_MOMENTS: Record<Role, string> = {
  architect: 'Report a milestone once the design is written down, and ask for a review of the decisions that need a second opinion.',
  implementer: 'Report a milestone after each step that works (tests included), a blocker as soon as you cannot go on, and ask for a review when a part is ready.',
  reviewer: 'Report a milestone when the checks pass, a blocker for each failure you cannot fix, and ask for a review of anything that needs a closer look.',
};

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

// How to report to the orchestrator: its MCP tools first, the plain-text markers for a CLI without them.
function describeChannel(role: Role): string[] {
  return [
    `Report progress to the orchestrator with the tools of its MCP server "${CHANNEL_SERVER_NAME}":`,
    ...CHANNEL_TOOLS.map((tool) => `- ${tool.when}, call ${tool.name}(${tool.argument}): ${lowerFirst(tool.argumentDescription)}`),
    REPORT_MOMENTS[role],
    'If these tools are not available to you, write the same report as a line of its own in a message instead:',
    ...CHANNEL_TOOLS.map((tool) => `- [[orchestrate:${tool.kind}]] <${lowerFirst(tool.argumentDescription).replace(/\.$/, '')}>`),
  ];
}

// The prompt one phase's agent receives: the task, its role and share, what came before, how to report.
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
  lines.push('', ...describeChannel(phase.role));
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

// The message an agent gets when its own conversation is resumed after the orchestrator recovered
// its run from a failure (a relaunch with the fix the error asked for).
export function buildRecoveryPrompt(): string {
  return [
    'Your run stopped on an error, which the orchestrator has now dealt with (a retry, a directory opened to you, or a flag the error asked for).',
    'Continue the task from where you stopped, in the same working directory, and finish this phase.',
    'End with a short summary of what you did.',
  ].join('\n');
}
