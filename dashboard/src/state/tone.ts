/** The colour family of a state badge. */
export type Tone = 'active' | 'paused' | 'done' | 'failed' | 'stopped' | 'warn' | 'neutral';

const TONES: Record<string, Tone> = {
  running: 'active',
  working: 'active',
  active: 'active',
  live: 'active',
  starting: 'active',
  launching: 'active',
  checkpointing: 'active',
  preparing: 'active',
  planning: 'active',
  next: 'active',
  settling: 'active',
  paused: 'paused',
  waiting: 'paused',
  done: 'done',
  completed: 'done',
  failed: 'failed',
  error: 'failed',
  unstaffed: 'failed',
  stopped: 'stopped',
  stopping: 'stopped',
  interrupted: 'stopped',
  stalled: 'warn',
  escalated: 'warn',
  recovering: 'warn',
};

// The tone of a state name or dotted path, by its innermost known word.
export function toneOf(state: string): Tone {
  const words = state.split(/[.(), ]+/).filter(Boolean).reverse();
  for (const word of words) if (TONES[word]) return TONES[word];
  return 'neutral';
}
