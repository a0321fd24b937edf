import type { SessionListing } from '../../protocol/index.js';
import { countEvents, getLastSeq, readEvents } from '../../store/event-reader.js';
import type { NoteRecord, SessionRecord } from '../../store/session-store.js';
import type { ReplayResult, SessionArchive } from '../../ws-server/index.js';
import type { WorkspaceStore } from '../workspace-store.js';
import { buildReplayTimeline } from './replay-timeline.js';
import { toSessionInfo } from './session-info.js';

/** The longest session the dashboard replays: its whole timeline goes to the browser in one answer. */
export const MAX_REPLAY_EVENTS = 250_000;
/** Timelines kept, newest last: reopening a replay, or a second tab, costs nothing. */
const CACHED = 2;

// The workspace's sessions for the dashboard, read from its database. Replays are built on demand,
// one at a time per session and seq, and the last few are kept.
export function createSessionArchive(workspace: Pick<WorkspaceStore, 'db' | 'store'>, maxEvents = MAX_REPLAY_EVENTS): SessionArchive {
  const { db, store } = workspace;
  const cache = new Map<string, Promise<ReplayResult>>();
  const unavailable = (error: unknown): ReplayResult => ({ ok: false, code: 'HISTORY_UNAVAILABLE', message: `the session history could not be read: ${error instanceof Error ? error.message : String(error)}` });

  const build = async (sessionId: string): Promise<ReplayResult> => {
    const record = store.getSession(sessionId);
    if (!record) return { ok: false, code: 'NOT_FOUND', message: `there is no session ${sessionId} in this workspace` };
    const count = countEvents(db, sessionId);
    if (count > maxEvents) return { ok: false, code: 'TOO_LARGE', message: `the session has ${count} events, more than the ${maxEvents} the dashboard replays; use orchestrate replay ${sessionId}` };
    const entries = readEvents(db, sessionId);
    const notes = { decisions: store.listDecisions(sessionId).map(toNote), reviews: store.listReviews(sessionId).map(toNote), recovery: store.listRecoveryActions(sessionId).map(toNote) };
    const timeline = await buildReplayTimeline(entries, { session: toSessionInfo(record), notes });
    return { ok: true, timeline };
  };

  return {
    list() {
      try {
        return db.open ? store.listSessions().map(toListing) : [];
      } catch {
        return [];
      }
    },
    async replay(sessionId) {
      let key: string;
      try {
        key = `${sessionId}@${getLastSeq(db, sessionId)}`;
      } catch (error) {
        return unavailable(error);
      }
      let pending = cache.get(key);
      if (!pending) {
        pending = build(sessionId).catch(unavailable);
        cache.set(key, pending);
        if (cache.size > CACHED) cache.delete(cache.keys().next().value!);
      }
      return pending;
    },
  };
}

// The server marks the live one.
function toListing(record: SessionRecord): SessionListing {
  return { ...toSessionInfo(record), endedAt: record.endedAt, tiers: record.tierPath.map((step) => step.to), costUsd: record.summary?.usage.costUsd ?? 0, live: false };
}

function toNote({ id, seq, body }: NoteRecord) {
  return { id, seq, body };
}
