import { z } from 'zod';

/*
 * The agent channel: the tools an agent calls to tell the orchestrator how its work goes, offered by the
 * orchestrator's own MCP server. The plain-text markers ([[orchestrate:<kind>]] lines) carry the same three
 * reports for a CLI that cannot call the tools.
 */

/** The name every CLI knows the orchestrator's MCP server by. */
export const CHANNEL_SERVER_NAME = 'orchestrate';

export const ReportKindSchema = z.enum(['milestone', 'blocker', 'review']);
/** What an agent reports: a milestone reached, a blocker, a request for review. */
export type ReportKind = z.infer<typeof ReportKindSchema>;

/** One tool of the channel: the report it makes and its single required string argument. */
export interface ChannelTool {
  name: string;
  kind: ReportKind;
  argument: string;
  /** When to call it, as the prompt says. */
  when: string;
  /** What the model reads about the tool. */
  description: string;
  /** What the model reads about the argument. */
  argumentDescription: string;
}

export const CHANNEL_TOOLS: readonly ChannelTool[] = [
  {
    name: 'report_milestone',
    kind: 'milestone',
    argument: 'summary',
    when: 'When you reach a milestone',
    description:
      'Tell the orchestrator that you reached a milestone of your assignment (a part of the work is done and ' +
      'works). Call it each time you finish a meaningful step; it does not end your turn.',
    argumentDescription: 'What is done, in one or two sentences.',
  },
  {
    name: 'report_blocker',
    kind: 'blocker',
    argument: 'problem',
    when: 'When you are blocked',
    description:
      'Tell the orchestrator that you are blocked: something you cannot fix yourself stops you from finishing ' +
      '(a missing credential, a broken dependency, a contradiction in the task). Keep working on what you can.',
    argumentDescription: 'What blocks you and what you need to go on.',
  },
  {
    name: 'request_review',
    kind: 'review',
    argument: 'focus',
    when: 'When you want your work reviewed',
    description:
      'Ask the orchestrator to have your work reviewed by another agent, when a part of it is ready to be looked at.',
    argumentDescription: 'What the reviewer should look at (files, functions, the decision to check).',
  },
];

/** The event each kind of report becomes in the log. */
export const REPORT_EVENT_TYPES = {
  milestone: 'agent.milestone',
  blocker: 'agent.blocker',
  review: 'agent.reviewRequest',
} as const satisfies Record<ReportKind, string>;

export const ChannelRefusalSchema = z.enum([
  /** The secret belongs to no worker of this session. */
  'unknownSecret',
  /** The secret belongs to another worker than the one whose channel the report came through. */
  'wrongWorker',
  /** The worker's channel was revoked (its agent exited) while the report was on its way. */
  'revoked',
  /** The frame is not the channel's JSON. */
  'malformed',
  /** The frame is larger than the channel takes. */
  'oversized',
  /** Too many connections at once on one worker's channel. */
  'busy',
  /** The frame did not arrive in time. */
  'timeout',
]);
/** Why the channel refused a report. */
export type ChannelRefusal = z.infer<typeof ChannelRefusalSchema>;
