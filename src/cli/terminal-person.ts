import { AGENT_LABELS, type LogEntry } from '../domain/index.js';
import { answerControl } from '../runtime/dashboard/control.js';
import type { RunningSession } from '../runtime/start-session.js';
import type { ControlRequest } from '../protocol/index.js';

/** Where the person at the terminal is, if anywhere. */
export interface TerminalPersonOptions {
  input: NodeJS.ReadStream;
  /** Tells the person something without breaking the live display. */
  note(text: string): void;
  /** A dashboard is being served: a person may answer there. */
  dashboard: boolean;
}

const CTRL_C = '\u0003';

// The person at the terminal: asked when the session waits for an answer (y approves, n denies),
// and able to ask for a review (r). Keys are read only from a terminal; without one, an approval
// is left to the dashboard, and denied when there is none, since nobody could ever answer it.
export function attachTerminalPerson(session: RunningSession, options: TerminalPersonOptions): () => void {
  const { input, note } = options;
  const interactive = input.isTTY === true;
  let pending: string | null = null;
  const send = (request: ControlRequest) => answerControl(session.actor, request, (command) => session.control(command));

  const unsubscribe = session.log.subscribe((entry: LogEntry) => {
    if (entry.type === 'approval.requested') {
      pending = entry.approvalId;
      note(describeQuestion(entry));
      if (interactive) note('  press y to approve and go on, n to deny and end the session' + (options.dashboard ? ', or answer in the dashboard' : ''));
      else if (options.dashboard) note('  answer in the dashboard');
      else {
        note('  nobody can answer here (no terminal, no dashboard): denied');
        send({ type: 'approval.answer', approvalId: entry.approvalId, approve: false });
      }
    } else if (entry.type === 'approval.answered' && entry.approvalId === pending) pending = null;
  });
  if (!interactive) return unsubscribe;

  const onKey = (chunk: Buffer) => {
    const key = chunk.toString('utf8');
    // Raw mode takes Ctrl-C from the terminal driver: pass it on as the signal it would have been.
    if (key === CTRL_C) return void process.kill(process.pid, 'SIGINT');
    if (pending && (key === 'y' || key === 'n')) {
      const result = send({ type: 'approval.answer', approvalId: pending, approve: key === 'y' });
      if (!result.ok) note(`could not answer (${result.code})`);
    } else if (key === 'r') {
      const result = send({ type: 'review.request', note: 'asked from the terminal' });
      note(result.ok ? 'review requested' : `no review now (${result.code === 'NOT_NOW' ? 'no agent is working, or a review is already running' : result.code})`);
    }
  };
  input.setRawMode(true);
  input.on('data', onKey);
  input.resume();
  let attached = true;
  return () => {
    if (!attached) return;
    attached = false;
    unsubscribe();
    input.off('data', onKey);
    input.setRawMode(false);
    input.pause();
  };
}

function describeQuestion(entry: Extract<LogEntry, { type: 'approval.requested' }>): string {
  const findings = entry.findings.map((f) => `  - [${f.severity}] ${f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : ''}${f.message} (${AGENT_LABELS[f.agent]})`);
  return [`a person must decide (${entry.approvalId}): ${entry.reason}`, ...findings].join('\n');
}
