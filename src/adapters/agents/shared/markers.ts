import { REPORT_EVENT_TYPES, type AgentEventBody, type ReportKind } from '../../../domain/index.js';
import { previewText } from './preview.js';

/*
 * Plain-text fallback for agents that cannot call our tools: a line of an assistant message of the form
 * `[[orchestrate:milestone]] text`, `[[orchestrate:blocker]] text` or `[[orchestrate:review]] text`.
 */
const MARKER = /^\s*\[\[orchestrate:(milestone|blocker|review)\]\][ \t]*(.*?)\s*$/;

// Finds the marker lines of a complete message, in order.
export function detectMarkers(text: string): AgentEventBody[] {
  if (!text.includes('[[orchestrate:')) return [];
  const events: AgentEventBody[] = [];
  for (const line of text.split('\n')) {
    const match = MARKER.exec(line);
    if (!match) continue;
    const kind = match[1] as ReportKind;
    events.push({ type: REPORT_EVENT_TYPES[kind], text: previewText(match[2] ?? ''), via: 'marker' });
  }
  return events;
}

/** Detects markers in a message that arrives as deltas, which may split a marker line anywhere. */
export interface MarkerScanner {
  /** Scans every line the delta completes; keeps the unfinished last line for later. */
  feed(delta: string): AgentEventBody[];
  /** Scans the unfinished last line: the message has ended. */
  flush(): AgentEventBody[];
}

const MARKER_PREFIX = '[[orchestrate:';
/** A marker line's text is previewed anyway; beyond this the rest of the line is not kept. */
const MAX_LINE_CHARS = 16_384;

// True while the line so far can still turn out to be a marker line.
function couldBeMarker(line: string): boolean {
  const start = line.trimStart();
  return start.startsWith(MARKER_PREFIX) || MARKER_PREFIX.startsWith(start);
}

// Creates a scanner for one streamed message. Lines that cannot be markers are dropped as soon as that is clear.
export function createMarkerScanner(): MarkerScanner {
  let line = '';
  let hopeless = false;
  const append = (part: string): void => {
    if (hopeless || part === '') return;
    line = (line + part).slice(0, MAX_LINE_CHARS);
    if (!couldBeMarker(line)) {
      hopeless = true;
      line = '';
    }
  };
  const endLine = (): AgentEventBody[] => {
    const complete = line;
    line = '';
    hopeless = false;
    return detectMarkers(complete);
  };
  return {
    feed(delta) {
      const parts = delta.split('\n');
      const events: AgentEventBody[] = [];
      parts.forEach((part, index) => {
        append(part);
        if (index < parts.length - 1) events.push(...endLine());
      });
      return events;
    },
    flush: endLine,
  };
}
