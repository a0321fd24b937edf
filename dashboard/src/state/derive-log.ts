import type { LogEntry } from '../../../src/domain/index.js';
import { describeEntry } from './describe-entry.js';

/** Which entries the event log shows; null or '' means any. */
export interface LogFilter {
  workerId: string | null;
  type: string | null;
  text: string;
}

/**
 * The session's event log in seq order, bounded, with the rows that pass the filter. Rows are
 * addressed by absolute position (`offset` + index), so dropping the oldest entries never
 * renumbers what is on screen.
 */
export interface LogStore {
  entries: LogEntry[];
  /** Entries dropped from the front so far. */
  offset: number;
  max: number;
  /** Counts per worker and per type, for the filter menus. */
  workers: Map<string, number>;
  types: Map<string, number>;
  filter: LogFilter;
  /** Absolute positions of the rows that pass the filter, or null when nothing is filtered. */
  matches: number[] | null;
}

export const NO_FILTER: LogFilter = { workerId: null, type: null, text: '' };

export function createLogStore(max = 250_000): LogStore {
  return { entries: [], offset: 0, max, workers: new Map(), types: new Map(), filter: NO_FILTER, matches: null };
}

// Appends an entry (the caller guarantees seq order and no repeat) and keeps the filter's rows current.
export function appendLogEntry(store: LogStore, entry: LogEntry): void {
  store.entries.push(entry);
  bump(store.workers, entry.workerId);
  bump(store.types, entry.type);
  if (store.matches && passes(store.filter, entry)) store.matches.push(store.offset + store.entries.length - 1);
  if (store.entries.length > store.max) dropOldest(store, Math.ceil(store.max / 10));
}

// Applies a filter: one pass over the entries, a few milliseconds for 100,000.
export function setLogFilter(store: LogStore, filter: LogFilter): void {
  store.filter = { ...filter, text: filter.text.trim().toLowerCase() };
  if (isEmptyFilter(store.filter)) {
    store.matches = null;
    return;
  }
  const matches: number[] = [];
  store.entries.forEach((entry, index) => {
    if (passes(store.filter, entry)) matches.push(store.offset + index);
  });
  store.matches = matches;
}

// How many rows the log shows.
export function logRowCount(store: LogStore): number {
  return store.matches ? store.matches.length : store.entries.length;
}

// The entry on a row, or undefined past the end.
export function logRowEntry(store: LogStore, row: number): LogEntry | undefined {
  const position = store.matches ? store.matches[row] : store.offset + row;
  return position === undefined ? undefined : store.entries[position - store.offset];
}

// Forgets every entry (another session).
export function clearLog(store: LogStore): void {
  store.entries = [];
  store.offset = 0;
  store.workers.clear();
  store.types.clear();
  store.matches = store.matches ? [] : null;
}

export function isEmptyFilter(filter: LogFilter): boolean {
  return !filter.workerId && !filter.type && !filter.text;
}

function passes(filter: LogFilter, entry: LogEntry): boolean {
  if (filter.workerId && entry.workerId !== filter.workerId) return false;
  if (filter.type && entry.type !== filter.type) return false;
  if (filter.text && !`${entry.type} ${describeEntry(entry).text}`.toLowerCase().includes(filter.text)) return false;
  return true;
}

function dropOldest(store: LogStore, count: number): void {
  for (const entry of store.entries.splice(0, count)) {
    unbump(store.workers, entry.workerId);
    unbump(store.types, entry.type);
  }
  store.offset += count;
  if (!store.matches) return;
  const firstKept = store.matches.findIndex((position) => position >= store.offset);
  store.matches.splice(0, firstKept === -1 ? store.matches.length : firstKept);
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function unbump(counts: Map<string, number>, key: string): void {
  const next = (counts.get(key) ?? 0) - 1;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}

// The row showing the entry with this seq, or -1 when it is filtered out or no longer held.
export function logRowOfSeq(store: LogStore, seq: number): number {
  const index = binarySearch(store.entries.length, (i) => store.entries[i]!.seq - seq);
  if (index < 0) return -1;
  if (!store.matches) return index;
  const position = store.offset + index;
  const matches = store.matches;
  return binarySearch(matches.length, (i) => matches[i]! - position);
}

// Index where compare(i) is 0 in a sorted range, or -1.
function binarySearch(length: number, compare: (index: number) => number): number {
  let low = 0;
  let high = length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const order = compare(mid);
    if (order === 0) return mid;
    if (order < 0) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}
