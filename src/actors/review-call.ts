import { join } from 'node:path';
import { fromPromise } from 'xstate';
import type { ReviewLaunchSpec } from '../adapters/agents/types.js';
import {
  readReviewerResult,
  reviewAnswerJsonSchema,
  type AgentEventOf,
  type AgentName,
  type ReviewerResult,
  type ToolCallChecker,
} from '../domain/index.js';
import type { ReviewCallInput } from '../machines/slots.js';
import { getAgentCommand, startAgentRun, toFileName, type AgentRunDeps } from './agent-run.js';
import type { AgentRunHandle, RunEnforcement } from './run-guard.js';

export interface ReviewCallDeps extends AgentRunDeps {
  /** Each call gets a directory of its own here for the files its CLI reads (the answer's schema, a tool policy). */
  filesDir: string;
  /** Credentials and the orchestrator's state: what the CLI is told no reviewer may read. */
  secretPaths?: readonly string[];
}

/** What a reviewer's run reported, kept as its events go to the log. */
interface ReviewerTrace {
  result?: AgentEventOf<'agent.result'>;
  lastError?: AgentEventOf<'agent.error'>;
  /** The policy or a resource limit stopped the run. */
  stoppedBy?: RunEnforcement;
  ended: boolean;
}

// A reviewer's worker id, `review:<n>:<agent>`: its events are logged under it, beside its review's.
export function getReviewerWorkerId(reviewId: string, agent: AgentName): string {
  return `${reviewId}:${agent}`;
}

function createReviewSpec(deps: ReviewCallDeps, input: ReviewCallInput, workerId: string): ReviewLaunchSpec {
  const { prompt, cwd, extraDirs, model, skipTrust } = input;
  const filesDir = join(deps.filesDir, toFileName(workerId));
  return { prompt, cwd, extraDirs, model, skipTrust, schema: reviewAnswerJsonSchema(), filesDir, ...(deps.secretPaths ? { policy: { secretPaths: [...deps.secretPaths] } } : {}) };
}

// A reviewer is read-only: a write or an edit is a violation whatever the policy allows elsewhere.
function createReviewerChecker(checker: ToolCallChecker): ToolCallChecker {
  return (call) => {
    if (call.kind !== 'write' && call.kind !== 'edit') return checker(call);
    return { decision: 'deny', rule: 'read-only review', reason: `a reviewer may not change files (${call.tool} ${call.path ?? ''})`.trim() };
  };
}

// Why the policy or a limit stopped a reviewer, as its failure.
function describeStop(agent: AgentName, entry: RunEnforcement): ReviewerResult {
  if (entry.type === 'limit.exceeded') {
    const unit = entry.limit === 'memory' ? 'MiB' : 'CPU seconds';
    return { status: 'failed', agent, code: 'AGENT_CRASHED', message: `the reviewer was stopped at its ${entry.limit} limit (${entry.value} of ${entry.max} ${unit})` };
  }
  return { status: 'failed', agent, code: 'AGENT_PERMISSION_DENIED', message: `the reviewer was stopped by the safety policy: ${entry.reason}` };
}

// Starts the reviewer's CLI with its events going to the log and into the trace. Its tool calls are
// checked like a worker's, but nobody is asked about them: an `ask` stops it like a `deny`.
function startReviewer(deps: ReviewCallDeps, input: ReviewCallInput, workerId: string, trace: ReviewerTrace): AgentRunHandle {
  const adapter = deps.adapters[input.agent];
  const checker = deps.checker && createReviewerChecker(deps.checker);
  return startAgentRun({ ...deps, checker }, {
    workerId,
    command: adapter.buildReviewCommand(createReviewSpec(deps, input, workerId), getAgentCommand(deps, input.agent)),
    normalizer: adapter.createNormalizer(),
    onEvent(body) {
      deps.log.append(workerId, body);
      if (body.type === 'agent.result') trace.result = body;
      else if (body.type === 'agent.error') trace.lastError = body;
    },
    onEnforcement: (entry) => (trace.stoppedBy = entry),
    onExit: () => (trace.ended = true),
  });
}

// Waits for the run to end: the deadline kills the whole group at once (a reviewer past it has nothing
// left to save), a stop of the actor stops it. Resolves with the exit, and whether the deadline ended it.
async function awaitReviewer(handle: AgentRunHandle, trace: ReviewerTrace, deadlineMs: number, signal: AbortSignal, graceMs: number) {
  let timedOut = false;
  const deadline = setTimeout(() => {
    if (trace.ended) return;
    timedOut = true;
    handle.kill();
  }, deadlineMs);
  const stop = () => void handle.stop(graceMs);
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  const exit = await handle.exited;
  clearTimeout(deadline);
  signal.removeEventListener('abort', stop);
  return { exit, timedOut };
}

// Runs one reviewer to its end: read-only and one-shot, on the worktree, in its own process group.
// Never rejects for the agent: every way the call ends is a ReviewerResult, recorded in the log
// (review.answered) so a replay can answer the same.
export async function callReviewer(deps: ReviewCallDeps, input: ReviewCallInput, signal: AbortSignal): Promise<ReviewerResult> {
  const { agent } = input;
  const workerId = getReviewerWorkerId(input.reviewId, agent);
  const record = (result: ReviewerResult): ReviewerResult => {
    deps.log.append(workerId, { type: 'review.answered', reviewId: input.reviewId, agent, result });
    return result;
  };
  const trace: ReviewerTrace = { ended: false };
  let handle: AgentRunHandle;
  try {
    handle = startReviewer(deps, input, workerId, trace);
  } catch (error) {
    // The files it needs could not be written: the orchestrator's fault, reported as the call's failure.
    return record({ status: 'failed', agent, code: 'AGENT_CRASHED', message: `the reviewer could not be started: ${String(error)}` });
  }
  const { exit, timedOut } = await awaitReviewer(handle, trace, input.deadlineMs, signal, deps.stopGraceMs);
  // A stopped call answers nobody: the review that asked for it is gone.
  if (signal.aborted) return { status: 'failed', agent, code: 'AGENT_CRASHED', message: 'the review call was stopped' };
  if (trace.stoppedBy) return record(describeStop(agent, trace.stoppedBy));
  if (timedOut) return record({ status: 'timed_out', agent, afterMs: input.deadlineMs });
  return record(readReviewerResult(agent, { result: trace.result, lastError: trace.lastError, exit }));
}

// The reviewCall actor: one reviewer's call as a promise, for machine.provide({ actors }).
export function createReviewCallLogic(deps: ReviewCallDeps) {
  return fromPromise<ReviewerResult, ReviewCallInput>(({ input, signal }) => callReviewer(deps, input, signal));
}
