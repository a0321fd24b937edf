import { addUsage, ZERO_USAGE, type LogEntry } from '../../../src/domain/index.js';
import type { WorkerDigest } from '../../../src/protocol/index.js';
import { describeEntry } from './describe-entry.js';
import { appendOutput, createOutputBuffer, type OutputBuffer } from './output-buffer.js';
import type { UsageView } from './derive-session.js';

/** One worker (one agent run at one phase), as its card shows it. */
export interface WorkerView {
  workerId: string;
  phaseId: string;
  agent: string;
  reassignedFrom?: string;
  /** The worker machine's state as a dotted path ('live.running'), or its outcome once it ended. */
  state: string;
  outcome?: WorkerDigest['outcome'];
  usage: UsageView;
  /** The inspected actor that runs this worker, once known. */
  actorId: string | null;
  model?: string;
  lastActivity: { ts: number; type: string; text: string } | null;
  output: OutputBuffer;
}

/** The workers in the order they appeared. */
export type WorkerStore = Map<string, WorkerView>;

/** What an entry did to the workers. */
export interface WorkerChange {
  changed: boolean;
  /** Set when a worker's usage changed, so the session's totals can follow. */
  usage?: { before: UsageView; after: UsageView };
}

/** How much of a streamed message the card's activity line keeps (its end, where the agent is). */
const ACTIVITY_CHARS = 240;
const FINAL_STATES: ReadonlySet<string> = new Set(['done', 'failed', 'stopped']);

export function createWorkerStore(): WorkerStore {
  return new Map();
}

// Takes the snapshot's workers as they are now; activity and output come from the log and are kept.
export function applyDigestWorkers(store: WorkerStore, workers: readonly WorkerDigest[]): void {
  for (const digest of workers) {
    const view = ensureWorker(store, digest.workerId, digest.phaseId, digest.agent);
    view.phaseId = digest.phaseId;
    view.agent = digest.agent;
    view.state = digest.state;
    view.usage = { ...(digest.usage ?? ZERO_USAGE) };
    if (digest.reassignedFrom) view.reassignedFrom = digest.reassignedFrom;
    if (digest.outcome) view.outcome = { ...digest.outcome };
  }
}

// Folds one entry into the workers. Output and activity are never in a digest, so every entry adds
// to them; structure and usage (`afterDigest`) only from entries the digest does not already hold.
export function applyEntryToWorkers(store: WorkerStore, entry: LogEntry, afterDigest: boolean): WorkerChange {
  if (entry.workerId === 'session') return { changed: false };
  const isAgent = entry.type.startsWith('agent.');
  if (!isAgent && entry.type !== 'phase.started' && entry.type !== 'phase.finished' && entry.type !== 'review.answered') return { changed: false };
  const phase = 'phaseId' in entry && typeof entry.phaseId === 'string' ? entry.phaseId : '';
  const agent = 'agent' in entry && typeof entry.agent === 'string' ? entry.agent : '';
  const view = ensureWorker(store, entry.workerId, phase, agent);
  if (isAgent) recordActivity(view, entry);
  if (entry.type === 'agent.started' && entry.model) view.model = entry.model;
  if (isReviewer(entry.workerId)) followReviewer(view, entry);
  if (!afterDigest) return { changed: true };
  return { changed: true, ...applyStructure(view, entry) };
}

// `review:<n>:<agent>`: a reviewer's one-shot run, which has no machine of its own.
export function isReviewer(workerId: string): boolean {
  return /^review:\d+:/.test(workerId);
}

// A reviewer's state, from its run: started, then the result its review recorded.
function followReviewer(view: WorkerView, entry: LogEntry): void {
  if (entry.type === 'agent.started' && view.state === 'starting') view.state = 'running';
  if (entry.type !== 'review.answered') return;
  const { result } = entry;
  view.state = result.status === 'answered' ? 'done' : 'failed';
  const summary = result.status === 'answered' ? `${result.answer.verdict}: ${result.answer.summary}` : result.status === 'invalid' ? `answer not taken (${result.reason})` : result.status.replace('_', ' ');
  view.outcome = { status: view.state as 'done' | 'failed', summary };
}

// A worker's state from its own machine, as inspection reports it; an outcome stays once known.
export function applyWorkerState(view: WorkerView, state: string): boolean {
  if (view.outcome && FINAL_STATES.has(view.state)) return false;
  if (view.state === state) return false;
  view.state = state;
  return true;
}

// True once a worker can take no more commands.
export function isWorkerFinished(view: WorkerView): boolean {
  return FINAL_STATES.has(view.state) || view.outcome !== undefined;
}

function applyStructure(view: WorkerView, entry: LogEntry): Omit<WorkerChange, 'changed'> {
  switch (entry.type) {
    case 'phase.started':
      view.phaseId = entry.phaseId;
      view.agent = entry.agent;
      if (entry.reassignedFrom) view.reassignedFrom = entry.reassignedFrom;
      return {};
    case 'phase.finished':
      view.outcome = { status: entry.outcome.status, summary: entry.outcome.summary, ...(entry.outcome.failure ? { failure: { ...entry.outcome.failure } } : {}) };
      view.state = entry.outcome.status;
      return {};
    case 'agent.usage': {
      const before = view.usage;
      view.usage = addUsage(before, entry);
      return { usage: { before, after: view.usage } };
    }
    default:
      return {};
  }
}

function recordActivity(view: WorkerView, entry: LogEntry): void {
  appendOutput(view.output, entry);
  if (entry.type === 'agent.usage') {
    // Bookkeeping keeps the card's clock fresh without replacing what the agent last did.
    if (view.lastActivity) view.lastActivity = { ...view.lastActivity, ts: entry.ts };
    return;
  }
  const streamed = entry.type === 'agent.message' && entry.delta;
  const text = streamed ? (view.output.lines.at(-1)?.text ?? '').slice(-ACTIVITY_CHARS) : describeEntry(entry).text;
  view.lastActivity = { ts: entry.ts, type: entry.type, text };
}

// The worker with this id, created (state 'starting') when first heard of.
export function ensureWorker(store: WorkerStore, workerId: string, phaseId = '', agent = ''): WorkerView {
  let view = store.get(workerId);
  if (!view) {
    view = {
      workerId,
      phaseId: phaseId || phaseOf(workerId),
      agent: agent || (isReviewer(workerId) ? (workerId.split(':')[2] ?? '') : ''),
      state: 'starting',
      usage: { ...ZERO_USAGE },
      actorId: null,
      lastActivity: null,
      output: createOutputBuffer(),
    };
    store.set(workerId, view);
  }
  if (!view.agent && agent) view.agent = agent;
  return view;
}

// 'worker:design:2' → 'design': the phase a worker id names, for entries that carry no phase ('review:1:codex' → '1').
function phaseOf(workerId: string): string {
  return workerId.split(':')[1] ?? workerId;
}
