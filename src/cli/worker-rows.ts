import { addUsage, ZERO_USAGE, type AgentName, type LogEntry, type UsageTotals } from '../domain/index.js';

/** One line of the live terminal view. */
export interface WorkerRow {
  workerId: string;
  agent: AgentName;
  phaseId: string;
  state: string;
  activity: string;
  usage: UsageTotals;
}

const ACTIVITY_MAX = 60;

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > ACTIVITY_MAX ? `${line.slice(0, ACTIVITY_MAX - 1)}…` : line;
}

// What a worker's latest event says it is doing, in a few words; undefined when it says nothing new.
// Paths inside the worktree are shown relative to it.
export function describeActivity(entry: LogEntry, root = ''): string | undefined {
  const shorten = (path: string) => (root && path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path);
  switch (entry.type) {
    case 'agent.started':
      return `started${entry.model ? ` (${entry.model})` : ''}`;
    case 'agent.toolCall':
      return clip(entry.command ? `$ ${entry.command}` : `${entry.tool} ${shorten(entry.path ?? '')}`);
    case 'agent.fileChange':
      return clip(`${entry.kind} ${shorten(entry.path)}`);
    case 'agent.message':
      return entry.delta ? undefined : clip(entry.text);
    case 'agent.milestone':
      return clip(`milestone: ${entry.text}`);
    case 'agent.blocker':
      return clip(`blocked: ${entry.text}`);
    case 'agent.error':
      return clip(`${entry.code}: ${entry.message}`);
    case 'agent.result':
      return clip(entry.success ? `result: ${entry.summary}` : 'result: failed');
    default:
      return undefined;
  }
}

// Folds log entries into the rows of the live view, in the order workers started.
export function createWorkerRows(root = '') {
  const rows = new Map<string, WorkerRow>();
  return {
    rows: () => [...rows.values()],
    apply(entry: LogEntry): boolean {
      if (entry.type === 'phase.started') {
        rows.set(entry.workerId, { workerId: entry.workerId, agent: entry.agent, phaseId: entry.phaseId, state: 'starting', activity: '', usage: ZERO_USAGE });
        return true;
      }
      const row = rows.get(entry.workerId);
      if (!row) return false;
      if (entry.type === 'phase.finished') row.state = entry.outcome.status;
      else if (entry.type === 'agent.started') row.state = 'running';
      else if (entry.type === 'agent.usage') row.usage = addUsage(row.usage, entry);
      const activity = describeActivity(entry, root);
      if (activity !== undefined) row.activity = activity;
      return true;
    },
    setPaused(paused: boolean) {
      for (const row of rows.values()) {
        if (paused && row.state === 'running') row.state = 'paused';
        else if (!paused && row.state === 'paused') row.state = 'running';
      }
    },
  };
}
