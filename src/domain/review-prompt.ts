import type { AgentName } from './agents.js';
import type { Role } from './agents.js';
import { MAX_SUMMARY_WORDS, type Finding, type ReviewTrigger } from './review.js';

/** What a reviewer is shown. */
export interface ReviewPromptInputs {
  task: string;
  phaseTitle: string;
  role: Role;
  author: AgentName;
  authorSummary: string;
  trigger: ReviewTrigger;
  note?: string;
  /** The exact diff since the last checkpoint (bounded by the caller). */
  diff: string;
  diffTruncated: boolean;
  files: readonly string[];
}

/** The review prompt's first words: a reviewer's request can be told from a worker's by them. */
export const REVIEW_PROMPT_OPENING = "You are reviewing another coding agent's work.";

const WHY: Record<ReviewTrigger, string> = {
  'phase.finished': 'the author finished the phase',
  milestone: 'the author reported a milestone',
  blocker: 'the author reported a blocker',
  'agent.request': 'the author asked for a review',
  person: 'a person asked for a review',
  interval: 'no review has happened for a while',
};

// The prompt of a one-shot, read-only review: the assignment, the author's summary, the exact diff,
// and the answer required (JSON only, in the schema the CLIs are given).
export function buildReviewPrompt(inputs: ReviewPromptInputs): string {
  const fence = fenceFor(inputs.diff);
  const lines = [
    `${REVIEW_PROMPT_OPENING} You must not modify any file or run anything that changes state: read only.`,
    '',
    `The task: ${inputs.task}`,
    `The phase under review: ${inputs.phaseTitle} (role: ${inputs.role}), by ${inputs.author}.`,
    `Why now: ${WHY[inputs.trigger]}${inputs.note ? `: ${inputs.note}` : ''}.`,
    '',
    "The author's summary:",
    inputs.authorSummary || '(none yet)',
    '',
    `Files changed: ${inputs.files.length > 0 ? inputs.files.join(', ') : 'none'}.`,
    `The exact diff since the last checkpoint${inputs.diffTruncated ? ' (cut short: read the files in the working directory for the rest)' : ''}:`,
    `${fence}diff`,
    inputs.diff || '(no changes)',
    fence,
    '',
    'Answer with one JSON object and nothing else:',
    '{"verdict": "approve" | "request_changes" | "block", "findings": [{"severity": "critical" | "major" | "minor" | "info", "file": string | null, "line": number | null, "message": string}], "summary": string}',
    `- approve: the work is right as it is; request_changes: it needs fixes the author can make; block: it must not go on (name the critical finding).`,
    `- summary: at most ${MAX_SUMMARY_WORDS} words.`,
  ];
  return lines.join('\n');
}

// A code fence longer than any run of backticks in the text: a diff of a Markdown file cannot close it early.
function fenceFor(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(longest + 1);
}

// The message an author gets to revise its own work, in its own conversation.
export function buildRevisionPrompt(findings: readonly (Finding & { agent: AgentName })[], round: number, maxRounds: number): string {
  const lines = [
    `Your work was reviewed by the other agents, who asked for changes (revision round ${round} of ${maxRounds}).`,
    'Their findings:',
    ...findings.map((f) => `- [${f.severity}] ${f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : ''}${f.message} (${f.agent})`),
    '',
    'Fix what they found, in the same working directory, then end with a short summary of what you changed.',
  ];
  return lines.join('\n');
}
