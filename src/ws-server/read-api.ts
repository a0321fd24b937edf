import type { ServerResponse } from 'node:http';
import { sendJson } from './responses.js';
import type { NoteKind, SessionArchive, SessionSource } from './session-source.js';

/** Most events one /api/events call returns; page with `from`. */
export const MAX_EVENTS_PER_CALL = 1000;
const DEFAULT_EVENTS_PER_CALL = 200;

/** What the read API answers from. */
export interface ReadApiContext {
  source: SessionSource;
  /** The workspace's other sessions; without it only the live one is listed, and none replays. */
  archive?: SessionArchive;
  clients(): number;
}

const REPLAY_PATH = /^\/api\/sessions\/([A-Za-z0-9._-]{1,128})\/replay$/;
const REPLAY_STATUS = { NOT_FOUND: 404, TOO_LARGE: 413, HISTORY_UNAVAILABLE: 503 } as const;

const NOTES: Record<string, NoteKind> = { '/api/reviews': 'reviews', '/api/decisions': 'decisions', '/api/recovery': 'recovery' };

// Answers a GET under /api with JSON: the session's state now, its notes, pages of its log, the
// workspace's sessions and their replays. Reads only; every change goes through the WebSocket's
// control messages.
export async function serveReadApi(response: ServerResponse, url: URL, context: ReadApiContext, head: boolean): Promise<void> {
  const { source } = context;
  const json = (value: unknown, status = 200) => sendJson(response, status, value, head);
  const path = url.pathname;
  if (path === '/api/events') return serveEvents(url, source, json);
  if (path === '/api/sessions') return json({ sessions: listSessions(context) });
  const replay = REPLAY_PATH.exec(path);
  if (replay) return serveReplay(replay[1]!, context, json);
  if (NOTES[path]) return json({ [NOTES[path]]: source.notes(NOTES[path]) });
  const digest = source.digest();
  switch (path) {
    case '/api/health':
      return json({ ok: true, sessionId: source.sessionId, lastSeq: source.lastCommittedSeq(), clients: context.clients() });
    case '/api/session': {
      const { status, value, paused, tier, usage, failureReason } = digest;
      return json({ session: source.info(), status, value, paused, tier, usage, failureReason });
    }
    case '/api/workers':
      return json({ workers: digest.workers });
    case '/api/tiers':
      return json({ tier: digest.tier, tierPath: digest.tierPath, available: digest.available, unavailable: digest.unavailable });
    case '/api/summary':
      return json({ summary: source.summary(), usage: digest.usage });
    default:
      return json({ error: 'NOT_FOUND' }, 404);
  }
}

// GET /api/events?from=<seq>&limit=<n>: committed events from `from` on, and where the next page starts.
function serveEvents(url: URL, source: SessionSource, json: (value: unknown, status?: number) => void): void {
  const from = readInt(url.searchParams.get('from'), 1);
  const limit = readInt(url.searchParams.get('limit'), DEFAULT_EVENTS_PER_CALL);
  if (from === null || from < 1 || limit === null || limit < 1 || limit > MAX_EVENTS_PER_CALL) {
    return json({ error: 'BAD_QUERY', message: `from must be >= 1 and limit 1..${MAX_EVENTS_PER_CALL}` }, 400);
  }
  const lastSeq = source.lastCommittedSeq();
  let events;
  try {
    events = from > lastSeq ? [] : source.readEvents({ fromSeq: from, toSeq: lastSeq, limit });
  } catch {
    return json({ error: 'HISTORY_UNAVAILABLE' }, 503);
  }
  const nextSeq = events.length > 0 ? events.at(-1)!.seq + 1 : Math.max(from, lastSeq + 1);
  json({ events, nextSeq, lastSeq });
}

// The archive's list, or the live session alone when the server has no archive.
function listSessions({ source, archive }: ReadApiContext) {
  if (archive) return archive.list().map((listing) => ({ ...listing, live: listing.sessionId === source.sessionId }));
  const { usage, tierPath } = source.digest();
  return [{ ...source.info(), endedAt: null, tiers: tierPath.map((step) => step.to), costUsd: usage.costUsd, live: true }];
}

// GET /api/sessions/<id>/replay: the session re-driven from its log, for the dashboard to scrub through.
async function serveReplay(sessionId: string, { archive }: ReadApiContext, json: (value: unknown, status?: number) => void): Promise<void> {
  if (!archive) return json({ error: 'NOT_FOUND', message: 'this server keeps no session history' }, 404);
  const result = await archive.replay(sessionId);
  if (result.ok) return json(result.timeline);
  json({ error: result.code, message: result.message }, REPLAY_STATUS[result.code]);
}

function readInt(text: string | null, fallback: number): number | null {
  if (text === null) return fallback;
  return /^\d{1,15}$/.test(text) ? Number(text) : null;
}
