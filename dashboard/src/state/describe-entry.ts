import { AGENT_LABELS, type AgentName, type LogEntry } from '../../../src/domain/index.js';
import { clip, formatCost, formatTokens } from './format.js';

/** How a log row is coloured: what kind of thing happened. */
export type EntryTone = 'plain' | 'quiet' | 'tool' | 'good' | 'bad' | 'warn' | 'session';

/** One log entry as a single readable line. */
export interface EntryLine {
  tone: EntryTone;
  text: string;
}

const MAX_TEXT = 400;

// A short line for any log entry, known or not: the log must show whatever the server committed.
export function describeEntry(entry: LogEntry): EntryLine {
  const e = entry as LogEntry & Record<string, unknown>;
  switch (entry.type) {
    case 'agent.started':
      return { tone: 'good', text: `started${entry.model ? ` (${entry.model})` : ''}` };
    case 'agent.message':
      return { tone: 'plain', text: oneLine(entry.text) };
    case 'agent.reasoning':
      return { tone: 'quiet', text: oneLine(entry.text) };
    case 'agent.toolCall':
      return { tone: 'tool', text: `${entry.tool}${entry.command ? ` $ ${oneLine(entry.command)}` : entry.path ? ` ${entry.path}` : ''}` };
    case 'agent.toolResult':
      return { tone: entry.ok ? 'quiet' : 'bad', text: `${entry.ok ? 'ok' : 'failed'}${entry.output ? `: ${oneLine(entry.output)}` : ''}` };
    case 'agent.fileChange':
      return { tone: 'tool', text: `${entry.kind} ${entry.path}` };
    case 'agent.usage':
      return { tone: 'quiet', text: usageText(entry.inputTokens, entry.outputTokens, entry.costUsd, entry.total) };
    case 'agent.approvalRequest':
      return { tone: 'warn', text: `asks to run ${entry.tool}${entry.command ? ` $ ${oneLine(entry.command)}` : entry.path ? ` on ${entry.path}` : ''}` };
    case 'agent.milestone':
      return { tone: 'good', text: oneLine(entry.text) };
    case 'agent.blocker':
      return { tone: 'warn', text: `blocked: ${oneLine(entry.text)}` };
    case 'agent.reviewRequest':
      return { tone: 'warn', text: `asks for a review: ${oneLine(entry.text)}` };
    case 'agent.result':
      return { tone: entry.success ? 'good' : 'bad', text: `${entry.success ? 'succeeded' : 'did not succeed'}: ${oneLine(entry.summary)}` };
    case 'agent.error':
      return { tone: 'bad', text: `${entry.code}: ${oneLine(entry.message)}` };
    case 'agent.unparsed':
      return { tone: 'quiet', text: `unparsed (${entry.reason}): ${oneLine(entry.line)}` };
    case 'agent.exited':
      return { tone: entry.exitCode === 0 ? 'quiet' : 'bad', text: entry.signal ? `exited by ${entry.signal}` : `exited with code ${entry.exitCode ?? 'none'}` };
    case 'session.started':
      return { tone: 'session', text: `session started: ${oneLine(entry.task)}` };
    case 'session.tierChanged':
      return { tone: 'session', text: `tier ${entry.from ?? 'none'} → ${entry.to}: ${entry.reason}` };
    case 'phase.started':
      return { tone: 'session', text: `phase ${entry.phaseId} started with ${agentLabel(entry.agent)}${entry.reassignedFrom ? ` (instead of ${agentLabel(entry.reassignedFrom)})` : ''}` };
    case 'phase.finished':
      return { tone: entry.outcome.status === 'done' ? 'good' : 'bad', text: `phase ${entry.phaseId} ${entry.outcome.status}${entry.outcome.failure ? `: ${entry.outcome.failure.code}` : ''}` };
    case 'control.received':
      return { tone: 'session', text: `command ${entry.command.type === 'worker.control' ? `${entry.command.command} ${entry.command.workerId}` : entry.command.type}` };
    case 'session.finished':
      return { tone: entry.status === 'completed' ? 'good' : 'bad', text: `session ${entry.status}${entry.reason ? `: ${oneLine(entry.reason)}` : ''}` };
    case 'process.spawned':
      return { tone: 'quiet', text: `process ${entry.pid} spawned` };
    case 'process.idle':
      return { tone: 'warn', text: `no output for ${Math.round(entry.idleMs / 1000)}s` };
    case 'session.paused':
    case 'session.resumed':
      return { tone: 'session', text: entry.type === 'session.paused' ? 'session paused' : 'session resumed' };
    case 'session.probed':
      return { tone: 'session', text: `agents probed: ${entry.probes.map((p) => `${p.agent} ${p.available ? 'available' : 'unavailable'}`).join(', ')}` };
    case 'phase.checkpointed':
      return { tone: 'quiet', text: `phase ${entry.phaseId} checkpointed${entry.checkpoint.sha ? ` at ${entry.checkpoint.sha.slice(0, 8)}` : ''} (${entry.checkpoint.files.length} files)` };
    case 'session.restored':
      return { tone: 'session', text: `session restored from the snapshot at seq ${entry.snapshotSeq}` };
    case 'store.intakePaused':
      return { tone: 'bad', text: `the store cannot take writes: ${entry.reason}` };
    case 'store.intakeResumed':
      return { tone: 'good', text: 'the store takes writes again' };
    default:
      return { tone: 'quiet', text: clip(JSON.stringify(omitStamp(e)), MAX_TEXT) };
  }
}

// Whether a type is an agent's own event or the session's bookkeeping.
export function isAgentType(type: string): boolean {
  return type.startsWith('agent.');
}

export function agentLabel(agent: string): string {
  return AGENT_LABELS[agent as AgentName] ?? agent;
}

function usageText(input: number, output: number, cost: number | undefined, total: boolean | undefined): string {
  return `${total ? 'total ' : '+'}${formatTokens(input)} in / ${formatTokens(output)} out${cost !== undefined ? ` · ${formatCost(cost)}` : ''}`;
}

function oneLine(text: string): string {
  return clip(text.replace(/\s+/g, ' ').trim(), MAX_TEXT);
}

function omitStamp(entry: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...entry };
  for (const key of ['sessionId', 'workerId', 'seq', 'ts', 'type']) delete rest[key];
  return rest;
}
