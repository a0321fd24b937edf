import { join } from 'node:path';
import { fromPromise } from 'xstate';
import type { ReviewLaunchSpec } from '../adapters/agents/types.js';
import type { AgentProcessHandle } from '../adapters/process/agent-process.js';
import {
  readReviewerResult,
  reviewAnswerJsonSchema,
  type AgentEventOf,
  type AgentName,
  type ReviewerResult,
} from '../domain/index.js';
import type { ReviewCallInput } from '../machines/slots.js';
import { getAgentCommand, startAgentRun, toFileName, type AgentRunDeps } from './agent-run.js';

export interface ReviewCallDeps extends AgentRunDeps {
  /** Each call gets a directory of its own here for the files its CLI reads (the answer's schema, a tool policy). */
  filesDir: string;
}

/** What a reviewer's run reported, kept as its events go to the log. */
interface ReviewerTrace {
  result?: AgentEventOf<'agent.result'>;
  lastError?: AgentEventOf<'agent.error'>;
  ended: boolean;
}

// A reviewer's worker id, `review:<n>:<agent>`: its events are logged under it, beside its review's.
export function getReviewerWorkerId(reviewId: string, agent: AgentName): string {
  return `${reviewId}:${agent}`;
}

function createReviewSpec(deps: ReviewCallDeps, input: ReviewCallInput, workerId: string): ReviewLaunchSpec {
  const { prompt, cwd, extraDirs, model, skipTrust } = input;
  const filesDir = join(deps.filesDir, toFileName(workerId));
  return { prompt, cwd, extraDirs, model, skipTrust, schema: reviewAnswerJsonSchema(), filesDir };
}

// Starts the reviewer's CLI with its events going to the log and into the trace.
function startReviewer(deps: ReviewCallDeps, input: ReviewCallInput, workerId: string, trace: ReviewerTrace): AgentProcessHandle {
  const adapter = deps.adapters[input.agent];
  return startAgentRun(deps, {
    workerId,
    command: adapter.buildReviewCommand(createReviewSpec(deps, input, workerId), getAgentCommand(deps, input.agent)),
    normalizer: adapter.createNormalizer(),
    onEvent(body) {
      deps.log.append(workerId, body);
      if (body.type === 'agent.result') trace.result = body;
      else if (body.type === 'agent.error') trace.lastError = body;
    },
    onExit: () => (trace.ended = true),
  });
}

// Waits for the run to end: the deadline kills the whole group at once (a reviewer past it has nothing
// left to save), a stop of the actor stops it. Resolves with the exit, and whether the deadline ended it.
async function awaitReviewer(handle: AgentProcessHandle, trace: ReviewerTrace, deadlineMs: number, signal: AbortSignal, graceMs: number) {
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
  let handle: AgentProcessHandle;
  try {
    handle = startReviewer(deps, input, workerId, trace);
  } catch (error) {
    // The files it needs could not be written: the orchestrator's fault, reported as the call's failure.
    return record({ status: 'failed', agent, code: 'AGENT_CRASHED', message: `the reviewer could not be started: ${String(error)}` });
  }
  const { exit, timedOut } = await awaitReviewer(handle, trace, input.deadlineMs, signal, deps.stopGraceMs);
  // A stopped call answers nobody: the review that asked for it is gone.
  if (signal.aborted) return { status: 'failed', agent, code: 'AGENT_CRASHED', message: 'the review call was stopped' };
  if (timedOut) return record({ status: 'timed_out', agent, afterMs: input.deadlineMs });
  return record(readReviewerResult(agent, { result: trace.result, lastError: trace.lastError, exit }));
}

// The reviewCall actor: one reviewer's call as a promise, for machine.provide({ actors }).
export function createReviewCallLogic(deps: ReviewCallDeps) {
  return fromPromise<ReviewerResult, ReviewCallInput>(({ input, signal }) => callReviewer(deps, input, signal));
}
