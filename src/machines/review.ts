import { assign, enqueueActions, setup } from 'xstate';
import {
  buildReviewPrompt,
  decideReview,
  type AgentName,
  type Decision,
  type ReviewerResult,
  type ReviewSettings,
  type ReviewTrigger,
  type Role,
  type WorkerSettings,
} from '../domain/index.js';
import { reviewCallSlot, reviewDiffSlot, type ReviewDiff } from './slots.js';

/** Everything one review cycle needs, fixed when the session spawns it. */
export interface ReviewInput {
  sessionId: string;
  /** `review:<n>`, the actor's id; its reviewers are `review:<n>:<agent>`. */
  reviewId: string;
  trigger: ReviewTrigger;
  /** What the agent or the person said when asking. */
  note?: string;
  task: string;
  phaseId: string;
  phaseTitle: string;
  role: Role;
  author: AgentName;
  authorWorkerId: string;
  authorSummary: string;
  /** Every available agent but the author. */
  reviewers: AgentName[];
  /** Revision rounds already made for this work. */
  round: number;
  settings: ReviewSettings;
  workers: WorkerSettings;
  /** The commit the work under review started from; null = the session's base. */
  base: string | null;
}

export interface ReviewContext extends ReviewInput {
  diff?: ReviewDiff;
  results: Partial<Record<AgentName, ReviewerResult>>;
  decision?: Decision;
}

/** What the session learns in its xstate.done.actor.review:<n> event. */
export interface ReviewFinished {
  reviewId: string;
  trigger: ReviewTrigger;
  phaseId: string;
  round: number;
  authorWorkerId: string;
  results: ReviewerResult[];
  decision: Decision;
}

type ReviewEvent =
  | { type: `xstate.done.actor.${string}`; output: ReviewerResult }
  | { type: `xstate.error.actor.${string}`; error: unknown };

const reviewerId = (reviewId: string, agent: AgentName) => `${reviewId}:${agent}`;

// The results in the reviewers' order, whatever order they arrived in, so a replay decides alike.
function orderedResults(context: ReviewContext): ReviewerResult[] {
  return context.reviewers.flatMap((agent) => context.results[agent] ?? []);
}

// The reviewer an actor event is about: its id is `review:<n>:<agent>`.
function agentOf(context: ReviewContext, eventType: string): AgentName | undefined {
  return context.reviewers.find((agent) => eventType.endsWith(reviewerId(context.reviewId, agent)));
}

// One review cycle: read the diff, ask every reviewer at once (each with its own deadline), then
// let the decision policy decide. No I/O of its own: the diff and the reviewer calls are slots.
export const reviewMachine = setup({
  types: {
    context: {} as ReviewContext,
    input: {} as ReviewInput,
    events: {} as ReviewEvent,
    output: {} as ReviewFinished,
  },
  actors: { reviewDiff: reviewDiffSlot, reviewCall: reviewCallSlot },
  guards: {
    allAnswered: ({ context }) => context.reviewers.every((agent) => context.results[agent] !== undefined),
  },
  actions: {
    askReviewers: enqueueActions(({ context, enqueue }) => {
      const diff = context.diff!;
      const { cwd, extraDirs, models, trustWorktree } = context.workers;
      for (const agent of context.reviewers) {
        const id = reviewerId(context.reviewId, agent);
        const prompt = buildReviewPrompt({
          task: context.task,
          phaseTitle: context.phaseTitle,
          role: context.role,
          author: context.author,
          authorSummary: context.authorSummary,
          trigger: context.trigger,
          note: context.note,
          diff: diff.text,
          diffTruncated: diff.truncated,
          files: diff.files.map((file) => file.path),
        });
        enqueue.spawnChild('reviewCall', {
          id,
          input: { sessionId: context.sessionId, reviewId: context.reviewId, agent, prompt, cwd, extraDirs, model: models[agent], skipTrust: trustWorktree, deadlineMs: context.settings.reviewerTimeoutMs },
        });
      }
    }),
    recordResult: assign(({ context, event }) => {
      const agent = agentOf(context, event.type);
      if (!agent) return {};
      const result: ReviewerResult =
        'output' in event ? event.output : { status: 'failed', agent, code: 'AGENT_CRASHED', message: `the reviewer call failed: ${String(event.error)}` };
      return { results: { ...context.results, [agent]: result } };
    }),
    decide: assign(({ context }) => ({
      decision: decideReview({ results: orderedResults(context), round: context.round, maxRounds: context.settings.maxRounds, onUnresolved: context.settings.onUnresolved }),
    })),
  },
}).createMachine({
  id: 'review',
  context: ({ input }) => ({ ...input, results: {} }),
  initial: 'diffing',
  states: {
    diffing: {
      invoke: {
        src: 'reviewDiff',
        input: ({ context }) => ({ sessionId: context.sessionId, reviewId: context.reviewId, cwd: context.workers.cwd, base: context.base }),
        onDone: { target: 'collecting', actions: assign({ diff: ({ event }) => event.output }) },
        onError: {
          target: 'collecting',
          actions: assign({ diff: ({ event }) => ({ text: `(the diff could not be read: ${String(event.error)})`, truncated: false, files: [] }) }),
        },
      },
    },
    collecting: {
      entry: 'askReviewers',
      always: { guard: 'allAnswered', target: 'deciding' },
      on: {
        'xstate.done.actor.*': { actions: 'recordResult' },
        'xstate.error.actor.*': { actions: 'recordResult' },
      },
    },
    deciding: {
      entry: 'decide',
      always: 'done',
    },
    done: { type: 'final' },
  },
  output: ({ context }) => ({
    reviewId: context.reviewId,
    trigger: context.trigger,
    phaseId: context.phaseId,
    round: context.round,
    authorWorkerId: context.authorWorkerId,
    results: orderedResults(context),
    decision: context.decision!,
  }),
});
