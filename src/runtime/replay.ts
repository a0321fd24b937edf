import { createActor, fromCallback, fromPromise, type InspectionEvent } from 'xstate';
import { isDecisive, isRunEnforcement, type AgentEventBody, type AgentName, type LogEntry, type ReviewerResult, type SessionInput } from '../domain/index.js';
import {
  fingerprintSession,
  provideSessionActors,
  type AgentProbe,
  type AgentProcessCommand,
  type AgentProcessInput,
  type Checkpoint,
  type ReviewCallInput,
  type ReviewDiff,
  type ReviewDiffInput,
  type RecoveryFixInput,
  type SessionFingerprint,
} from '../machines/index.js';
import { createMailbox, type Mailbox } from './mailbox.js';

export interface ReplayOptions {
  /** 1 replays at the recorded pace, 10 ten times faster, 0 as fast as possible. */
  speed: number;
  /** The longest pause between two events, whatever the speed. */
  maxGapMs?: number;
  /** Called for every change of an actor's state: the replay's terminal output. */
  onTransition?: (change: { seq: number; actorId: string; value: unknown }) => void;
  /** Observes the actor system, as a live session's inspection does; `atSeq` is the last recorded event the machines were fed. */
  inspect?: (event: InspectionEvent, atSeq: number) => void;
}

export interface ReplayResult {
  fingerprint: SessionFingerprint;
  /** The fingerprint the live session recorded at its end, when it ended. */
  recorded?: unknown;
  events: number;
}

/** How long a recorded input may wait for the machine to ask for it; a deterministic replay never waits long. */
const SETTLE_LIMIT_MS = 5_000;

function keyed<T>() {
  const boxes = new Map<string, Mailbox<T>>();
  const get = (key: string) => boxes.get(key) ?? boxes.set(key, createMailbox<T>()).get(key)!;
  const pending = () => [...boxes.values()].reduce((n, box) => n + box.size, 0);
  return { get, pending };
}

/** A recorded input and the seq of the event that recorded it. */
interface Fed<T> {
  seq: number;
  value: T;
}

// The session machine with its I/O actors replaced by ones that answer from the recorded log.
// `onFed` hears the seq of each recorded input as the machines take it.
function createReplayMachine(inputs: ReturnType<typeof createInputs>, onFed: (seq: number) => void) {
  const take = async <T>(box: Mailbox<Fed<T>>): Promise<T> => {
    const fed = await box.take();
    onFed(fed.seq);
    return fed.value;
  };
  return provideSessionActors({
    probeAgents: fromPromise<AgentProbe[], { agents: AgentName[] }>(() => take(inputs.probes)),
    commitCheckpoint: fromPromise<Checkpoint, { sessionId: string; phaseId: string; message: string }>(({ input }) => take(inputs.checkpoints.get(input.phaseId))),
    reviewDiff: fromPromise<ReviewDiff, ReviewDiffInput>(({ input }) => take(inputs.diffs.get(input.reviewId))),
    reviewCall: fromPromise<ReviewerResult, ReviewCallInput>(({ input }) => take(inputs.answers.get(`${input.reviewId}:${input.agent}`))),
    applyRecoveryFix: fromPromise<{ applied: true }, RecoveryFixInput>(async ({ input }) => {
      await take(inputs.fixes.get(input.recoveryId));
      return { applied: true as const };
    }),
    agentProcess: fromCallback<AgentProcessCommand, AgentProcessInput>(({ input, sendBack }) => {
      let stopped = false;
      const box = inputs.workers.get(input.workerId);
      void (async () => {
        while (!stopped) {
          const entry = await take(box);
          if (!stopped) sendBack(entry as never);
        }
      })();
      return () => {
        stopped = true;
      };
    }) as never,
  });
}

async function settle(pending: () => number): Promise<void> {
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  do await new Promise((resolve) => setImmediate(resolve));
  while (pending() > 0 && Date.now() < deadline);
}

// Re-drives the session machines from a recorded log, with no agent and no model: recorded probes,
// agent events, checkpoints and a person's commands are fed back in their recorded order.
export async function replaySession(entries: readonly LogEntry[], options: ReplayOptions): Promise<ReplayResult> {
  const started = entries.find((e): e is Extract<LogEntry, { type: 'session.started' }> => e.type === 'session.started');
  if (!started) throw new Error('the log has no session.started event: it cannot be replayed');
  const finished = entries.find((e) => e.type === 'session.finished') as Extract<LogEntry, { type: 'session.finished' }> | undefined;
  let inputs = createInputs();
  // The last recorded event the machines were fed; inputs are queued ahead, so this is not the loop's seq.
  let fedSeq = started.seq;
  const onFed = (seq: number) => (fedSeq = Math.max(fedSeq, seq));
  const inspect = createObserver(options, () => fedSeq);
  const input = started.input as SessionInput;
  const launch = (snapshot?: unknown) => {
    const machine = createReplayMachine(inputs, onFed);
    // Inspection costs a record per event; only ask for it when someone watches the transitions.
    const options = { id: 'session', systemId: 'session', input, ...(inspect ? { inspect } : {}) };
    return createActor(machine, snapshot ? { ...options, snapshot: snapshot as never } : options).start();
  };
  let actor = launch();
  let previousTs = started.ts;
  for (const entry of entries) {
    if (entry.seq <= started.seq) continue;
    if (options.speed > 0) await pace(entry.ts - previousTs, options);
    previousTs = entry.ts;
    const { seq } = entry;
    if (entry.type === 'session.probed') inputs.probes.put({ seq, value: entry.probes });
    else if (entry.type === 'phase.checkpointed') inputs.checkpoints.get(entry.phaseId).put({ seq, value: entry.checkpoint });
    else if (entry.type === 'review.diff') inputs.diffs.get(entry.reviewId).put({ seq, value: entry.diff });
    else if (entry.type === 'recovery.applied') inputs.fixes.get(entry.recoveryId).put({ seq, value: entry.strategy });
    else if (entry.type === 'review.answered') inputs.answers.get(`${entry.reviewId}:${entry.agent}`).put({ seq, value: entry.result });
    else if (entry.type === 'control.received' || entry.type === 'review.due' || entry.type === 'budget.exceeded') {
      await settle(inputs.pending);
      onFed(seq);
      actor.send(toSessionInput(entry));
    } else if (entry.type === 'session.restored') {
      // The orchestrator was killed here: what it had not yet acted on is lost with it, as it was live.
      await settle(inputs.pending);
      onFed(seq);
      actor.stop();
      inputs = createInputs();
      actor = launch(entry.snapshot);
    } else if (isWorkerInput(entry)) {
      inputs.workers.get(entry.workerId).put({ seq, value: entry });
    }
  }
  await settle(inputs.pending);
  const fingerprint = fingerprintSession(actor.getSnapshot());
  actor.stop();
  return { fingerprint, recorded: finished?.fingerprint, events: entries.length };
}

// A worker machine's input: its agent's decisive events, idle notices and the runtime's enforcement.
// A reviewer's run (`review:<n>:<agent>`) is no machine's input; its review takes the recorded review.answered.
function isWorkerInput(entry: LogEntry): boolean {
  if (!entry.workerId.startsWith('worker:')) return false;
  return entry.type === 'process.idle' || isRunEnforcement(entry) || (entry.type.startsWith('agent.') && isDecisive(entry as AgentEventBody));
}

// What the live session sent its machine for a recorded session-level input: a person's command, a
// due review, or a budget reached (sent as logged).
function toSessionInput(entry: Extract<LogEntry, { type: 'control.received' | 'review.due' | 'budget.exceeded' }>) {
  if (entry.type === 'control.received') return entry.command;
  return entry.type === 'review.due' ? { type: 'review.due' as const } : (entry as never);
}

// One inspection observer for the options asked for: printed state changes, raw inspection, or none.
function createObserver(options: ReplayOptions, atSeq: () => number): ((event: InspectionEvent) => void) | undefined {
  const { onTransition, inspect } = options;
  if (!onTransition && !inspect) return undefined;
  const values = new Map<string, string>();
  return (event) => {
    inspect?.(event, atSeq());
    if (event.type !== '@xstate.snapshot' || !onTransition) return;
    const value = (event.snapshot as { value?: unknown }).value;
    if (value === undefined) return;
    const actorId = (event.actorRef as { id?: string }).id ?? 'unknown';
    const text = JSON.stringify(value);
    if (values.get(actorId) === text) return;
    values.set(actorId, text);
    onTransition({ seq: atSeq(), actorId, value });
  };
}

function createInputs() {
  const probes = createMailbox<Fed<AgentProbe[]>>();
  const checkpoints = keyed<Fed<Checkpoint>>();
  const workers = keyed<Fed<LogEntry>>();
  const diffs = keyed<Fed<ReviewDiff>>();
  const answers = keyed<Fed<ReviewerResult>>();
  const fixes = keyed<Fed<unknown>>();
  const pending = () => probes.size + checkpoints.pending() + workers.pending() + diffs.pending() + answers.pending() + fixes.pending();
  return { probes, checkpoints, workers, diffs, answers, fixes, pending };
}

async function pace(gapMs: number, options: ReplayOptions): Promise<void> {
  if (options.speed <= 0 || gapMs <= 0) return;
  const wait = Math.min(gapMs / options.speed, options.maxGapMs ?? 1000);
  if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
}
