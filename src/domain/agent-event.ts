import { z } from 'zod';
import { FailureCodeSchema } from './failure.js';

/*
 * The normalized event model: every vendor stream becomes this small set of events.
 * Adapters produce bodies (`AgentEventBody`); the worker stamps them with the session,
 * the worker, a per-session sequence number and a timestamp (`AgentEvent`).
 */

const Started = z.object({
  type: z.literal('agent.started'),
  /** The vendor's own session or thread id, needed to resume the conversation. */
  vendorSessionId: z.string().optional(),
  model: z.string().optional(),
  cwd: z.string().optional(),
});

const Message = z.object({
  type: z.literal('agent.message'),
  text: z.string(),
  /** True for a token-level delta, false or absent for a whole message. */
  delta: z.boolean().optional(),
});

const Reasoning = z.object({ type: z.literal('agent.reasoning'), text: z.string() });

const ToolCall = z.object({
  type: z.literal('agent.toolCall'),
  callId: z.string().optional(),
  /** The vendor's tool name (`Bash`, `command_execution`, `run_shell_command`, ...). */
  tool: z.string(),
  /** Normalized kind, so the policy need not know each vendor's tool names. */
  kind: z.enum(['shell', 'write', 'edit', 'read', 'search', 'web', 'mcp', 'other']),
  command: z.string().optional(),
  path: z.string().optional(),
});

const ToolResult = z.object({
  type: z.literal('agent.toolResult'),
  callId: z.string().optional(),
  ok: z.boolean(),
  output: z.string().optional(),
});

const FileChange = z.object({
  type: z.literal('agent.fileChange'),
  path: z.string(),
  kind: z.enum(['add', 'update', 'delete', 'unknown']),
});

const Usage = z.object({
  type: z.literal('agent.usage'),
  inputTokens: z.number().nonnegative(),
  outputTokens: z.number().nonnegative(),
  cachedTokens: z.number().nonnegative().optional(),
  /** Cost in US dollars, where the vendor reports it. */
  costUsd: z.number().nonnegative().optional(),
  /** True when these figures are the run's totals rather than an increment. */
  total: z.boolean().optional(),
});

const ApprovalRequest = z.object({
  type: z.literal('agent.approvalRequest'),
  callId: z.string().optional(),
  tool: z.string(),
  command: z.string().optional(),
  path: z.string().optional(),
});

/** How a report reached us: a call of the orchestrator's MCP tool, or a plain-text marker line in a message. */
const Via = z.enum(['mcp', 'marker']).optional();
const Milestone = z.object({ type: z.literal('agent.milestone'), text: z.string(), via: Via });
const Blocker = z.object({ type: z.literal('agent.blocker'), text: z.string(), via: Via });
const ReviewRequest = z.object({ type: z.literal('agent.reviewRequest'), text: z.string(), via: Via });

const Result = z.object({
  type: z.literal('agent.result'),
  success: z.boolean(),
  summary: z.string(),
  /**
   * The run's final answer, when it gave one: the structured value a CLI enforced (Claude's
   * `structured_output`), else its final text (Codex's last message, Gemini's assistant text), capped.
   */
  output: z.unknown().optional(),
});

const ErrorEvent = z.object({
  type: z.literal('agent.error'),
  code: FailureCodeSchema,
  /** The original text the code was derived from. */
  message: z.string(),
});

const Unparsed = z.object({
  type: z.literal('agent.unparsed'),
  reason: z.enum(['invalidJson', 'unknownType', 'schema', 'oversized']),
  /** The line, cut to a bounded preview. */
  line: z.string(),
  bytes: z.number().int().nonnegative(),
});

const Exited = z.object({
  type: z.literal('agent.exited'),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
});

export const AgentEventBodySchema = z.discriminatedUnion('type', [
  Started,
  Message,
  Reasoning,
  ToolCall,
  ToolResult,
  FileChange,
  Usage,
  ApprovalRequest,
  Milestone,
  Blocker,
  ReviewRequest,
  Result,
  ErrorEvent,
  Unparsed,
  Exited,
]);
export type AgentEventBody = z.infer<typeof AgentEventBodySchema>;
export type AgentEventType = AgentEventBody['type'];
export type AgentEventOf<T extends AgentEventType> = Extract<AgentEventBody, { type: T }>;

/** Where an event came from, stamped by the worker. */
export const EventStampSchema = z.object({
  sessionId: z.string(),
  workerId: z.string(),
  seq: z.number().int().nonnegative(),
  ts: z.number(),
});
export type EventStamp = z.infer<typeof EventStampSchema>;

export type AgentEvent = AgentEventBody & EventStamp;

/** Events a machine decides on; everything else is bulk output that only the log and dashboard see. */
const DECISIVE: ReadonlySet<AgentEventType> = new Set([
  'agent.started',
  'agent.toolCall',
  'agent.approvalRequest',
  'agent.milestone',
  'agent.blocker',
  'agent.reviewRequest',
  'agent.result',
  'agent.error',
  'agent.exited',
]);

// True when a machine needs to see the event; deltas, tool output and usage increments do not.
export function isDecisive(event: AgentEventBody): boolean {
  return DECISIVE.has(event.type);
}
