import { AGENT_LABELS, formatSummary, getTier, type LogEntry, type SessionSummary } from '../domain/index.js';
import type { EventLog } from '../store/event-log.js';
import { createWorkerRows, describeActivity, type WorkerRow } from './worker-rows.js';

/** Shows a running session in the terminal, then its summary. */
export interface Reporter {
  /** Follows a session's log; `root` is its worktree, so paths can be shown relative to it. */
  attach(log: EventLog, root: string): void;
  note(text: string): void;
  finish(summary: SessionSummary): void;
}

type Out = Pick<NodeJS.WriteStream, 'write'> & { columns?: number };

// Session-level lines that every human-facing mode prints.
function describeSessionEntry(entry: LogEntry): string | undefined {
  switch (entry.type) {
    case 'session.started':
      return `session ${entry.sessionId} on branch ${entry.branch}`;
    case 'session.tierChanged':
      return `tier: ${getTier(entry.to).label}${entry.reason ? ` (${entry.reason})` : ''}`;
    case 'phase.started':
      return `${entry.phaseId}: ${AGENT_LABELS[entry.agent]} starts${entry.reassignedFrom ? ` (instead of ${AGENT_LABELS[entry.reassignedFrom]})` : ''}`;
    case 'phase.finished': {
      const failure = entry.outcome.failure ? `: ${entry.outcome.failure.code} ${entry.outcome.failure.message}` : '';
      return `${entry.phaseId}: ${AGENT_LABELS[entry.agent]} ${entry.outcome.status}${failure}`;
    }
    case 'review.started':
      return `${entry.reviewId}: ${entry.reviewers.map((a) => AGENT_LABELS[a]).join(' and ') || 'nobody'} review${entry.reviewers.length === 1 ? 's' : ''} ${AGENT_LABELS[entry.author]}'s ${entry.phaseId} (${entry.trigger}${entry.round ? `, round ${entry.round}` : ''})`;
    case 'review.answered':
      return `${entry.reviewId}: ${AGENT_LABELS[entry.agent]} ${entry.result.status === 'answered' ? entry.result.answer.verdict : entry.result.status.replace('_', ' ')}`;
    case 'review.decided':
      return `${entry.reviewId}: ${entry.decision.action} (${entry.decision.rule}): ${entry.decision.reason}`;
    case 'approval.requested':
      return `waiting for a person (${entry.approvalId}): ${entry.reason}`;
    case 'approval.answered':
      return `${entry.approvalId} ${entry.approve ? 'approved' : 'denied'} by a person`;
    case 'session.paused':
      return 'session paused';
    case 'session.resumed':
      return 'session resumed';
    case 'channel.refused':
      return `agent channel refused a report (${entry.reason})${entry.channel ? ` on the channel of ${entry.channel}` : ''}`;
    default:
      return undefined;
  }
}

function time(ts: number): string {
  return new Date(ts).toISOString().slice(11, 19);
}

// Plain lines, for logs and pipes: session events always, agent activity with --verbose or when decisive.
export function createPlainReporter(out: Out, verbose: boolean): Reporter {
  const quiet = new Set(['agent.message', 'agent.reasoning', 'agent.toolResult', 'agent.usage', 'agent.unparsed']);
  return {
    attach(log, root) {
      log.subscribe((entry) => {
        const line = describeSessionEntry(entry) ?? (verbose || !quiet.has(entry.type) ? describeActivity(entry, root) : undefined);
        if (line) out.write(`[${time(entry.ts)}] ${entry.type.startsWith('agent.') ? `${entry.workerId} ` : ''}${line}\n`);
      });
    },
    note: (text) => out.write(`${text}\n`),
    finish: (summary) => out.write(`\n${formatSummary(summary)}\n`),
  };
}

// Every event as one JSON line, then the summary as one JSON line.
export function createJsonReporter(out: Out): Reporter {
  return {
    attach: (log) => void log.subscribe((entry) => out.write(`${JSON.stringify(entry)}\n`)),
    note: (text) => out.write(`${JSON.stringify({ type: 'note', text })}\n`),
    finish: (summary) => out.write(`${JSON.stringify({ type: 'summary', ...summary })}\n`),
  };
}

function formatRow(row: WorkerRow, width: number): string {
  const cost = row.usage.costUsd > 0 ? ` $${row.usage.costUsd.toFixed(4)}` : '';
  const tokens = row.usage.inputTokens + row.usage.outputTokens;
  const head = `${row.agent.padEnd(7)}${row.phaseId.padEnd(11)}${row.state.padEnd(9)}${String(tokens).padStart(8)} tok${cost}  `;
  return (head + row.activity).slice(0, Math.max(20, width - 1));
}

const REDRAW_MS = 100;

// One live line per worker, redrawn in place at most ten times a second; session events scroll above.
export function createTtyReporter(out: Out): Reporter {
  let rows = createWorkerRows();
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  const clear = () => {
    if (drawn > 0) out.write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  const draw = () => {
    timer = undefined;
    clear();
    const lines = rows.rows().map((row) => formatRow(row, out.columns ?? 100));
    if (lines.length > 0) out.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const schedule = () => (timer ??= setTimeout(draw, REDRAW_MS));
  const scroll = (text: string) => {
    clear();
    out.write(`${text}\n`);
    draw();
  };
  return {
    attach(log, root) {
      rows = createWorkerRows(root);
      log.subscribe((entry) => {
        if (entry.type === 'session.paused' || entry.type === 'session.resumed') rows.setPaused(entry.type === 'session.paused');
        const changed = rows.apply(entry);
        const line = describeSessionEntry(entry);
        if (line) scroll(`[${time(entry.ts)}] ${line}`);
        else if (changed) schedule();
      });
    },
    note: (text) => scroll(text),
    finish(summary) {
      clearTimeout(timer);
      draw();
      out.write(`\n${formatSummary(summary)}\n`);
    },
  };
}
