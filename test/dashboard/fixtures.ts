import type { LogBody, LogEntry } from '../../src/domain/index.js';
import type { BatchItem, InspectionRecord, ServerMessageOf, SessionDigest, StateValue } from '../../src/protocol/index.js';

// Log entries of one session, seq 1..count, each a short agent message unless `body` says otherwise.
export function makeLog(count: number, body: (seq: number) => LogBody = (seq) => ({ type: 'agent.message', text: `line ${seq}` }), workerId = 'worker:design'): LogEntry[] {
  return Array.from({ length: count }, (_, i) => ({ ...body(i + 1), sessionId: 's1', workerId, seq: i + 1, ts: 1_000 + i }) as LogEntry);
}

// A batch as the server sends it: entries fromSeq..toSeq of `log`, then any extra items.
export function batchOf(log: readonly LogEntry[], fromSeq: number, toSeq: number, extra: BatchItem[] = []): ServerMessageOf<'batch'> {
  const items: BatchItem[] = log.filter((e) => e.seq >= fromSeq && e.seq <= toSeq).map((entry) => ({ kind: 'log', entry }));
  return { type: 'batch', fromSeq, toSeq, items: [...items, ...extra] };
}

export function hello(lastSeq: number, sessionId = 's1'): ServerMessageOf<'hello'> {
  return {
    type: 'hello',
    protocol: 1,
    session: { sessionId, task: 'add a greeting', target: 'repo', branch: `orchestrate/${sessionId}`, agents: ['gemini', 'claude'], startedAt: 1_000, state: 'running' },
    machines: {},
    lastSeq,
    limits: { maxMessageBytes: 16_384, messagesPerSecond: 10, messageBurst: 20 },
  };
}

export const DIGEST: SessionDigest = {
  status: 'active',
  value: { active: { flow: 'working', staffing: 'trio', control: 'running' } },
  paused: false,
  tier: 'trio',
  tierPath: [{ from: null, to: 'trio', reason: 'every enabled agent answered' }],
  available: ['claude', 'codex', 'gemini'],
  unavailable: {},
  phases: [{ phaseId: 'design', status: 'running', workerIds: ['worker:design'] }],
  workers: [{ workerId: 'worker:design', phaseId: 'design', agent: 'gemini', state: 'live.running', usage: { inputTokens: 100, outputTokens: 10, costUsd: 0.1 } }],
  actors: [
    { actorId: 'x:0', id: 'session', parentId: null, machine: 'session', status: 'active', value: { active: { flow: 'working', staffing: 'trio', control: 'running' } } },
    { actorId: 'x:1', id: 'worker:design', parentId: 'x:0', machine: 'worker', status: 'active', value: { live: 'running' } },
  ],
  usage: { inputTokens: 100, outputTokens: 10, costUsd: 0.1 },
};

export function snapshot(lastSeq: number, digest: SessionDigest = DIGEST): ServerMessageOf<'snapshot'> {
  return { type: 'snapshot', lastSeq, session: digest };
}

// An inspection snapshot record of actor `actorId` moving to `value`.
export function stateRecord(actorId: string, value: StateValue, event: string, transitions: { source: string; targets: string[] }[] = []): InspectionRecord {
  return { kind: 'snapshot', atSeq: 0, actorId, event, status: 'active', value, transitions };
}
