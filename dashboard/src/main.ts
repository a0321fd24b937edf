import './zod-jitless.js';
import { parseReplayTimeline, type ControlRequest } from '../../src/protocol/index.js';
import { connect, socketUrl } from './connection.js';
import { createControl, markPendingLost } from './state/controls.js';
import { ALL_SLICES, applyServerMessage, createDashboardState, type Slice } from './state/dashboard-state.js';
import { parseNotes, type NoteKind } from './state/notes.js';
import { advanceReplay, createReplay, replayNotes, seekReplay, type ReplayState } from './state/replay.js';
import { createApp, type App, type AppParts } from './view/app.js';
import { createConnectionBadge } from './view/connection-badge.js';
import type { AppContext } from './view/context.js';
import { createReplayBar } from './view/replay-bar.js';
import { createReplayBadge } from './view/replay-badge.js';

// The dashboard: the live session's state, fed by the socket, and at most one replay of a past
// session; the page shows one of them and is drawn at most once a frame.
const live = createDashboardState();
let replay: ReplayState | null = null;
let app: App;
let frame = 0;
let lastFrameAt = 0;
/** Where the scrubber was moved to since the last frame: a drag moves it many times a frame, and one rebuild is enough. */
let pendingSeek: number | null = null;
const shown = () => replay?.view ?? live;

const scheduleRender = () => {
  if (!frame) frame = requestAnimationFrame(drawFrame);
};

function drawFrame(at: number) {
  frame = 0;
  if (replay && pendingSeek !== null) {
    seekReplay(replay, pendingSeek);
    replay.view.changed.add('replay');
  }
  pendingSeek = null;
  if (replay?.playing) {
    // A hidden tab's long gap between frames is not played as one jump.
    advanceReplay(replay, Math.min(at - (lastFrameAt || at), 100));
    replay.view.changed.add('replay');
    scheduleRender();
  }
  lastFrameAt = at;
  const state = shown();
  const changed = new Set<Slice>(state.changed);
  state.changed.clear();
  app.render(changed);
}

const connection = connect(socketUrl(location), {
  onMessage(message) {
    for (const reply of applyServerMessage(live, message)) connection.send(reply);
    if (!replay) scheduleRender();
  },
  onStatus(patch) {
    live.connection = { ...live.connection, ...patch };
    live.changed.add('connection');
    if (!replay) scheduleRender();
  },
  onClosed() {
    if (markPendingLost(live.controls)) live.changed.add('controls');
    live.changed.add('connection');
    if (!replay) scheduleRender();
  },
});

const context: Omit<AppContext, 'openChart'> = {
  get state() {
    return shown();
  },
  get mode() {
    return replay ? 'replay' : 'live';
  },
  now: () => replay?.clock ?? Date.now(),
  sendControl(request: ControlRequest) {
    if (replay) return;
    const message = createControl(live.controls, request, Date.now());
    if (!connection.send(message)) markPendingLost(live.controls);
    live.changed.add('controls');
    scheduleRender();
  },
  isOnline: () => !replay && (live.connection.status === 'syncing' || live.connection.status === 'live'),
  async readNotes(kind: NoteKind) {
    if (replay) return replayNotes(replay, kind);
    try {
      const response = await fetch(`/api/${kind}`, { credentials: 'same-origin', cache: 'no-store' });
      return response.ok ? parseNotes(kind, await response.json()) : null;
    } catch {
      return null;
    }
  },
  async openReplay(sessionId: string) {
    const response = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/replay`, { credentials: 'same-origin', cache: 'no-store' });
    const json = (await response.json().catch(() => null)) as { message?: unknown } | null;
    if (!response.ok) throw new Error(typeof json?.message === 'string' ? json.message : `the server answered ${response.status}`);
    const timeline = parseReplayTimeline(json);
    if (!timeline) throw new Error('the server sent a replay this page cannot read (another protocol version?)');
    replay = createReplay(timeline);
    replay.playing = true;
    mount();
  },
  openLive() {
    replay = null;
    pendingSeek = null;
    mount();
  },
};

const replayControls = {
  replay: () => replay!,
  setPlaying(playing: boolean) {
    if (!replay) return;
    // Playing from the end starts over.
    if (playing && replay.position >= replay.timeline.items.length) seekReplay(replay, 0);
    replay.playing = playing;
    lastFrameAt = 0;
    replay.view.changed.add('replay');
    scheduleRender();
  },
  setSpeed(speed: number) {
    if (!replay) return;
    replay.speed = speed;
    replay.view.changed.add('replay');
    scheduleRender();
  },
  seek(position: number) {
    if (!replay) return;
    pendingSeek = position;
    scheduleRender();
  },
};

const LIVE_PARTS: AppParts = { status: (full) => createConnectionBadge(full, () => connection.retryNow()) };
const REPLAY_PARTS: AppParts = { status: (full) => createReplayBadge(full), bar: (full) => createReplayBar(full, replayControls) };

// Builds the page for what is shown now; a fresh page keeps nothing drawn for the other session.
function mount() {
  app?.dispose();
  app = createApp(context, replay ? REPLAY_PARTS : LIVE_PARTS);
  document.getElementById('app')!.replaceChildren(app.element);
  app.start();
  for (const slice of ALL_SLICES) shown().changed.add(slice);
  scheduleRender();
}

mount();
setInterval(() => app.tick(context.now()), 1000);
