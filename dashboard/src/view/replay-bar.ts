import { describePosition, REPLAY_SPEEDS, type ReplayState } from '../state/replay.js';
import { formatDuration } from '../state/format.js';
import type { AppContext, View } from './context.js';
import { button, h, setAttr, setText } from './dom.js';

/** What the bar asks of the page: play, pause, speed and position act on the replay it shows. */
export interface ReplayControls {
  replay(): ReplayState;
  setPlaying(playing: boolean): void;
  setSpeed(speed: number): void;
  seek(position: number): void;
}

// The replay's transport, under the header: play or pause, speed, a scrubber over every recorded
// event and machine step, where it stands, and the way back to the live session.
export function createReplayBar(context: AppContext, controls: ReplayControls): View {
  const play = button('Play', () => controls.setPlaying(!controls.replay().playing), { class: 'btn', 'data-testid': 'replay-play' });
  const restart = button('⏮', () => controls.seek(0), { class: 'btn btn-quiet', 'aria-label': 'Back to the start', title: 'Back to the start' });
  const speed = h('select', { 'aria-label': 'Replay speed', 'data-testid': 'replay-speed' }, ...REPLAY_SPEEDS.map((value) => h('option', { value: String(value) }, `${value}×`)));
  speed.addEventListener('change', () => controls.setSpeed(Number(speed.value)));
  const scrubber = h('input', { type: 'range', min: 0, step: 1, class: 'replay-scrubber', 'aria-label': 'Replay position', 'data-testid': 'replay-scrubber' });
  scrubber.addEventListener('input', () => controls.seek(Number(scrubber.value)));
  // Taking hold of the scrubber stops the playback, so the point chosen stays put.
  for (const type of ['pointerdown', 'keydown'] as const) scrubber.addEventListener(type, () => controls.setPlaying(false));
  const where = h('span', { class: 'replay-where', 'data-testid': 'replay-where' });
  const verdict = h('span', { class: 'replay-verdict' });
  const title = h('span', { class: 'replay-title' });
  const element = h(
    'section',
    { class: 'replay-bar', role: 'region', 'aria-label': 'Replay', 'data-testid': 'replay-bar' },
    h('span', { class: 'replay-tag' }, 'Replay'),
    title,
    restart,
    play,
    speed,
    scrubber,
    where,
    verdict,
    button('Back to the live session', () => context.openLive(), { class: 'btn btn-small', 'data-testid': 'replay-exit' }),
  );
  const { timeline } = controls.replay();
  setText(title, timeline.session.sessionId);
  setAttr(title, 'title', timeline.session.task);
  scrubber.max = String(timeline.items.length);
  setText(verdict, timeline.matchesRecording === false ? 'the machines ended in another state than recorded' : '');

  return {
    element,
    render(changed) {
      if (!changed.has('replay')) return;
      const replay = controls.replay();
      const at = describePosition(replay);
      setText(play, replay.playing ? 'Pause' : at.position >= at.total ? 'Replay again' : 'Play');
      if (speed.value !== String(replay.speed)) speed.value = String(replay.speed);
      scrubber.value = String(at.position);
      setAttr(scrubber, 'aria-valuetext', `event ${at.seq} of ${at.lastSeq}`);
      setText(where, `seq ${at.seq.toLocaleString('en-US')} of ${at.lastSeq.toLocaleString('en-US')} · ${formatDuration(at.elapsedMs)} of ${formatDuration(at.durationMs)}`);
    },
  };
}
