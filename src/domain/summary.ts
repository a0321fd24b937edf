import { AGENT_LABELS, type AgentName } from './agents.js';
import type { Plan } from './plan.js';
import { getTier, type TierChange } from './tiers.js';
import { sumUsage, type UsageTotals } from './usage.js';
import type { WorkerOutcome } from './worker-outcome.js';

/** The facts a summary is made of, gathered from the session machine and the event log. */
export interface SummaryInputs {
  sessionId: string;
  task: string;
  status: 'completed' | 'failed' | 'stopped';
  reason?: string;
  plan: Plan;
  phases: readonly {
    phaseId: string;
    status: string;
    attempts: readonly { workerId: string; agent: AgentName; reassignedFrom?: AgentName; outcome?: WorkerOutcome }[];
    checkpoint?: { sha: string | null; changed: boolean; files: string[] };
  }[];
  tierPath: readonly TierChange[];
  unavailable: Partial<Record<AgentName, string>>;
  usageByWorker: Readonly<Record<string, UsageTotals>>;
  branch: string;
  worktree: string;
  mergeCommand: string;
  startedAt: number;
  endedAt: number;
}

/** The end-of-session summary, printed as text or JSON. */
export interface SessionSummary {
  sessionId: string;
  task: string;
  status: 'completed' | 'failed' | 'stopped';
  reason?: string;
  durationMs: number;
  phases: {
    id: string;
    title: string;
    status: string;
    agent?: AgentName;
    attempts: { agent: AgentName; status?: string; failure?: string; reassignedFrom?: AgentName }[];
    summary: string;
    files: string[];
    commit?: string;
  }[];
  tierPath: { from: string | null; to: string; label: string; reason: string }[];
  unavailable: Partial<Record<AgentName, string>>;
  usage: UsageTotals;
  branch: string;
  worktree: string;
  mergeCommand: string;
}

// Builds the summary: each phase's outcome, the tier path and why, the cost, the branch.
export function buildSummary(inputs: SummaryInputs): SessionSummary {
  return {
    sessionId: inputs.sessionId,
    task: inputs.task,
    status: inputs.status,
    reason: inputs.reason,
    durationMs: inputs.endedAt - inputs.startedAt,
    phases: inputs.phases.map((record, index) => {
      const last = record.attempts.at(-1);
      return {
        id: record.phaseId,
        title: inputs.plan.phases[index]?.title ?? record.phaseId,
        status: record.status,
        agent: last?.agent,
        attempts: record.attempts.map((a) => ({
          agent: a.agent,
          status: a.outcome?.status,
          failure: a.outcome?.failure ? `${a.outcome.failure.code}: ${a.outcome.failure.message}` : undefined,
          reassignedFrom: a.reassignedFrom,
        })),
        summary: last?.outcome?.summary ?? '',
        files: record.checkpoint?.files ?? [],
        commit: record.checkpoint?.changed ? (record.checkpoint.sha ?? undefined) : undefined,
      };
    }),
    tierPath: inputs.tierPath.map((t) => ({ ...t, label: getTier(t.to).label })),
    unavailable: inputs.unavailable,
    usage: sumUsage(Object.values(inputs.usageByWorker)),
    branch: inputs.branch,
    worktree: inputs.worktree,
    mergeCommand: inputs.mergeCommand,
  };
}

// The summary as lines for a terminal.
export function formatSummary(summary: SessionSummary): string {
  const lines = [`Session ${summary.sessionId}: ${summary.status}${summary.reason ? ` (${summary.reason})` : ''}`];
  lines.push(`Task: ${summary.task}`, '', 'Phases:');
  for (const phase of summary.phases) {
    const who = phase.agent ? AGENT_LABELS[phase.agent] : 'nobody';
    lines.push(`  ${phase.title}: ${phase.status} (${who})${phase.files.length ? `, ${phase.files.length} file(s) changed` : ''}`);
    for (const attempt of phase.attempts.filter((a) => a.failure)) {
      lines.push(`    ${AGENT_LABELS[attempt.agent]} failed: ${attempt.failure}`);
    }
    if (phase.summary) lines.push(`    ${firstLine(phase.summary)}`);
  }
  lines.push('', 'Tiers:');
  for (const step of summary.tierPath) lines.push(`  ${step.label}${step.reason ? `: ${step.reason}` : ''}`);
  const { inputTokens, outputTokens, costUsd } = summary.usage;
  lines.push('', `Tokens: ${inputTokens} in, ${outputTokens} out. Cost: $${costUsd.toFixed(4)}. Time: ${(summary.durationMs / 1000).toFixed(1)} s.`);
  lines.push(`Branch: ${summary.branch} (worktree ${summary.worktree})`, `Merge it with: ${summary.mergeCommand}`);
  return lines.join('\n');
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
