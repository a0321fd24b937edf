import { PROTOCOL_VERSION, type BatchItem, type ReplayTimeline } from '../../../src/protocol/index.js';
import { applyEntry, applyRecord, applyServerMessage, createDashboardState, type DashboardState } from './dashboard-state.js';
import type { Note, NoteKind } from './notes.js';

/** Speeds a person can pick: 1 = the recorded pace. */
export const REPLAY_SPEEDS = [1, 10, 100, 1000] as const;
/** The longest real wait between two items, whatever the recorded gap (idle agents are skipped over). */
const MAX_WAIT_MS = 1000;

/**
 * A past session being played back: the dashboard state at `position` (the number of timeline
 * items applied), the recorded clock there, and how it plays. Moving forward applies the next
 * items; moving back rebuilds from the start, so every panel is exactly what it was at that point.
 */
export interface ReplayState {
  timeline: ReplayTimeline;
  view: DashboardState;
  position: number;
  /** The recorded time of each item: its event's, or for an inspection record the event it was observed at. */
  times: number[];
  /** The recorded time now shown. */
  clock: number;
  playing: boolean;
  speed: number;
}

export function createReplay(timeline: ReplayTimeline): ReplayState {
  const times = itemTimes(timeline.items, timeline.session.startedAt);
  return { timeline, view: startView(timeline), position: 0, times, clock: times[0] ?? timeline.session.startedAt, playing: false, speed: 10 };
}

// Shows the state after the first `position` items.
export function seekReplay(replay: ReplayState, position: number): void {
  const target = Math.max(0, Math.min(replay.timeline.items.length, Math.round(position)));
  if (target < replay.position) {
    replay.view = startView(replay.timeline);
    replay.position = 0;
  }
  applyItems(replay, target);
  replay.clock = replay.times[Math.max(0, target - 1)] ?? replay.clock;
}

// Plays `realMs` of wall time at the replay's speed; stops playing at the end. Returns true when anything changed.
export function advanceReplay(replay: ReplayState, realMs: number): boolean {
  const { times, timeline } = replay;
  if (!replay.playing || replay.position >= timeline.items.length) {
    replay.playing = false;
    return false;
  }
  const next = times[replay.position]!;
  // A long recorded silence is skipped over, as `orchestrate replay` does.
  if ((next - replay.clock) / replay.speed > MAX_WAIT_MS) replay.clock = next - MAX_WAIT_MS * replay.speed;
  replay.clock += realMs * replay.speed;
  let target = replay.position;
  while (target < times.length && times[target]! <= replay.clock) target += 1;
  const moved = target > replay.position;
  applyItems(replay, target);
  if (replay.position >= timeline.items.length) replay.playing = false;
  return moved;
}

// The log seq shown: the last event applied (0 before the first).
export function replaySeq(replay: ReplayState): number {
  return replay.view.cursor.lastSeq;
}

// The notes of a kind made up to the point shown.
export function replayNotes(replay: ReplayState, kind: NoteKind): Note[] {
  const seq = replaySeq(replay);
  return replay.timeline.notes[kind].filter((note) => note.seq <= seq);
}

// Where the replay stands, for its bar: items, seq and recorded time.
export function describePosition(replay: ReplayState): { position: number; total: number; seq: number; lastSeq: number; elapsedMs: number; durationMs: number } {
  const start = replay.times[0] ?? replay.timeline.session.startedAt;
  const end = replay.times.at(-1) ?? start;
  return {
    position: replay.position,
    total: replay.timeline.items.length,
    seq: replaySeq(replay),
    lastSeq: replay.timeline.lastSeq,
    elapsedMs: Math.max(0, Math.min(replay.clock, end) - start),
    durationMs: end - start,
  };
}

// A fresh state that knows the session and its machines, as after a hello, with nothing to catch
// up. The session is as it was before its first event; its end state comes with session.finished.
function startView(timeline: ReplayTimeline): DashboardState {
  const view = createDashboardState();
  applyServerMessage(view, {
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    session: { ...timeline.session, state: 'starting' },
    machines: timeline.machines,
    lastSeq: 0,
    limits: { maxMessageBytes: 0, messagesPerSecond: 0, messageBurst: 0 },
  });
  view.snapshotSeen = true;
  view.connection = { status: 'live', attempt: 0, retryAt: null, detail: '' };
  return view;
}

function applyItems(replay: ReplayState, target: number): void {
  const { items } = replay.timeline;
  const { view } = replay;
  for (let index = replay.position; index < target; index += 1) {
    const item = items[index]!;
    if (item.kind === 'log') {
      applyEntry(view, item.entry);
      view.cursor.lastSeq = item.entry.seq;
    } else applyRecord(view, item);
  }
  replay.position = Math.max(replay.position, target);
}

function itemTimes(items: readonly BatchItem[], startedAt: number): number[] {
  const firstLog = items.find((item) => item.kind === 'log');
  let ts = firstLog?.kind === 'log' ? firstLog.entry.ts : startedAt;
  return items.map((item) => (item.kind === 'log' ? (ts = item.entry.ts) : ts));
}
