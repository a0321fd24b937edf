import { AGENT_LABELS, type AgentName } from './agents.js';
import type { Plan } from './plan.js';
import type { Decision, ReviewerResult, ReviewTrigger } from './review.js';
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
  reviews?: readonly { reviewId: string; trigger: ReviewTrigger; phaseId: string; round: number; author: AgentName; results?: readonly ReviewerResult[]; decision?: Decision }[];
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
  /** Every review cycle: what each reviewer answered and what the policy decided, with the rule. */
  reviews: {
    id: string;
    trigger: ReviewTrigger;
    phaseId: string;
    round: number;
    author: AgentName;
    verdicts: { agent: AgentName; status: ReviewerResult['status']; verdict?: string; summary?: string; findings?: number; detail?: string }[];
    decision?: { action: Decision['action']; rule: Decision['rule']; reason: string; warning: boolean };
  }[];
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
    reviews: (inputs.reviews ?? []).map((review) => ({
      id: review.reviewId,
      trigger: review.trigger,
      phaseId: review.phaseId,
      round: review.round,
      author: review.author,
      verdicts: (review.results ?? []).map(describeVerdict),
      decision: review.decision && { action: review.decision.action, rule: review.decision.rule, reason: review.decision.reason, warning: review.decision.warning },
    })),
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
  if (summary.reviews.length > 0) lines.push('', 'Reviews:');
  for (const review of summary.reviews) {
    const verdicts = review.verdicts.map((v) => `${AGENT_LABELS[v.agent]} ${v.verdict ?? v.status.replace('_', ' ')}`).join(', ') || 'no reviewer';
    const decided = review.decision ? `${review.decision.action} (${review.decision.rule}${review.decision.warning ? ', with a warning' : ''}): ${review.decision.reason}` : 'undecided';
    lines.push(`  ${review.id} of ${review.phaseId}, ${review.trigger}${review.round ? `, round ${review.round}` : ''}: ${verdicts} → ${decided}`);
  }
  lines.push('', 'Tiers:');
  for (const step of summary.tierPath) lines.push(`  ${step.label}${step.reason ? `: ${step.reason}` : ''}`);
  const { inputTokens, outputTokens, costUsd } = summary.usage;
  lines.push('', `Tokens: ${inputTokens} in, ${outputTokens} out. Cost: $${costUsd.toFixed(4)}. Time: ${(summary.durationMs / 1000).toFixed(1)} s.`);
  lines.push(`Branch: ${summary.branch} (worktree ${summary.worktree})`, `Merge it with: ${summary.mergeCommand}`);
  return lines.join('\n');
}

// One reviewer's outcome as the summary lists it.
function describeVerdict(result: ReviewerResult): SessionSummary['reviews'][number]['verdicts'][number] {
  switch (result.status) {
    case 'answered':
      return { agent: result.agent, status: result.status, verdict: result.answer.verdict, summary: result.answer.summary, findings: result.answer.findings.length };
    case 'invalid':
      return { agent: result.agent, status: result.status, detail: `${result.reason}: ${result.detail}` };
    case 'timed_out':
      return { agent: result.agent, status: result.status, detail: `no answer in ${Math.round(result.afterMs / 1000)} s` };
    case 'failed':
      return { agent: result.agent, status: result.status, detail: `${result.code}: ${result.message}` };
  }
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
