import type { SessionInfo } from '../../protocol/index.js';
import type { SessionRecord } from '../../store/session-store.js';

// What the dashboard is told about a session, from its stored record.
export function toSessionInfo({ id: sessionId, task, target, branch, agents, startedAt, state }: SessionRecord): SessionInfo {
  return { sessionId, task, target, branch, agents, startedAt, state };
}
