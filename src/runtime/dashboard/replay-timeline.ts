import { isDeepStrictEqual } from 'node:util';
import type { LogEntry } from '../../domain/index.js';
import { PROTOCOL_VERSION, type BatchItem, type InspectionRecord, type ReplayTimeline } from '../../protocol/index.js';
import { replaySession } from '../replay.js';
import { createInspectionSerializer } from './inspection-feed.js';
import { machineDefinitions } from './machine-definitions.js';

/** What a timeline carries besides the replay: the session and its notes. */
export type TimelineExtras = Pick<ReplayTimeline, 'session' | 'notes'>;

// Re-drives a recorded session's machines as fast as they go, with inspection on, and lays the
// records out after the event each was observed at: the whole session as the dashboard saw it live.
export async function buildReplayTimeline(entries: readonly LogEntry[], extras: TimelineExtras): Promise<ReplayTimeline> {
  const serialize = createInspectionSerializer();
  const records: InspectionRecord[] = [];
  const result = await replaySession(entries, { speed: 0, inspect: (event, atSeq) => records.push(...serialize(event, atSeq)) });
  return {
    protocol: PROTOCOL_VERSION,
    ...extras,
    machines: machineDefinitions(),
    lastSeq: entries.at(-1)?.seq ?? 0,
    items: interleave(entries, records),
    matchesRecording: result.recorded === undefined ? null : isDeepStrictEqual(result.fingerprint, result.recorded),
  };
}

// Entries in seq order, each followed by the records observed at its seq (records keep their order).
export function interleave(entries: readonly LogEntry[], records: readonly InspectionRecord[]): BatchItem[] {
  const sorted = records.map((record, index) => ({ record, index })).sort((a, b) => a.record.atSeq - b.record.atSeq || a.index - b.index);
  const items: BatchItem[] = [];
  let next = 0;
  for (const entry of entries) {
    while (next < sorted.length && sorted[next]!.record.atSeq < entry.seq) items.push(sorted[next++]!.record);
    items.push({ kind: 'log', entry });
  }
  while (next < sorted.length) items.push(sorted[next++]!.record);
  return items;
}
