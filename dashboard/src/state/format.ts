import type { StateValue } from '../../../src/protocol/index.js';

// A duration as a person reads it at a glance: '42s', '3m 07s', '1h 02m'.
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${pad(seconds % 60)}s`;
  return `${Math.floor(minutes / 60)}h ${pad(minutes % 60)}m`;
}

// A token count in at most four characters: '950', '12.3k', '1.2M'.
export function formatTokens(count: number): string {
  if (count < 1000) return String(Math.round(count));
  if (count < 1_000_000) return `${trim(count / 1000)}k`;
  return `${trim(count / 1_000_000)}M`;
}

// US dollars, with cents, and a floor for amounts that would round to nothing.
export function formatCost(usd: number): string {
  if (usd === 0) return '$0.00';
  if (usd < 0.01) return '<$0.01';
  return `$${usd.toFixed(2)}`;
}

// A wall-clock time of day, HH:MM:SS in the viewer's time zone.
export function formatClock(ts: number): string {
  const date = new Date(ts);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

// A state value as one line: 'live.running', or '(flow.working, staffing.trio)' for parallel regions.
export function statePath(value: StateValue): string {
  if (typeof value === 'string') return value;
  const parts = Object.entries(value).map(([key, child]) => `${key}.${statePath(child)}`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(', ')})`;
}

// The innermost state of a dotted path, the word a card shows: 'live.running' → 'running'; for
// parallel regions, each region's: 'active.(flow.working, control.running)' → 'working · running'.
export function leafState(path: string): string {
  const open = path.indexOf('(');
  if (open >= 0) return path.slice(open + 1, path.lastIndexOf(')')).split(', ').map(leafState).join(' · ');
  return path.slice(path.lastIndexOf('.') + 1);
}

// Text cut to `max` characters, with an ellipsis when it was longer.
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function trim(n: number): string {
  return n >= 100 ? String(Math.round(n)) : n.toFixed(1).replace(/\.0$/, '');
}
