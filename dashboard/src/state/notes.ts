import { clip } from './format.js';

/** The kinds of notes the read API lists. */
export type NoteKind = 'decisions' | 'reviews' | 'recovery';

/** A note as the read API returns it: an opaque body tied to the seq it was made at. */
export interface Note {
  id: number;
  seq: number;
  body: unknown;
}

const TITLE_FIELDS = ['title', 'decision', 'verdict', 'action', 'summary', 'reason', 'text', 'kind', 'type'];

// Reads a /api/<kind> answer; anything unexpected is an empty list, never an exception.
export function parseNotes(kind: NoteKind, json: unknown): Note[] {
  const list = (json as Record<string, unknown> | null)?.[kind];
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    const note = item as Partial<Note> | null;
    return note && typeof note.id === 'number' && typeof note.seq === 'number' ? [{ id: note.id, seq: note.seq, body: note.body }] : [];
  });
}

// A one-line title for a note body whose shape the dashboard does not know: its most telling field.
export function summarizeNote(body: unknown): string {
  if (typeof body === 'string') return clip(body, 160);
  if (typeof body !== 'object' || body === null) return String(body);
  const record = body as Record<string, unknown>;
  const parts = TITLE_FIELDS.map((field) => record[field]).filter((value): value is string => typeof value === 'string' && value.length > 0);
  return clip(parts.slice(0, 2).join(' · ') || JSON.stringify(body), 160);
}

/** A review note as the panel shows it. */
export interface ReviewNoteView {
  title: string;
  verdicts: { agent: string; outcome: string; summary: string; findings: { severity: string; where: string; message: string }[] }[];
  files: string[];
  diff: string;
  diffTruncated: boolean;
}

/** A decision note as the panel shows it. */
export interface DecisionNoteView {
  title: string;
  reason: string;
  warning: boolean;
  findings: { severity: string; where: string; message: string; agent: string }[];
}

type Loose = Record<string, unknown>;
const asRecord = (value: unknown): Loose => (typeof value === 'object' && value !== null ? (value as Loose) : {});
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asText = (value: unknown): string => (typeof value === 'string' ? value : '');

function describeFinding(value: unknown) {
  const f = asRecord(value);
  const file = asText(f.file);
  return { severity: asText(f.severity), where: file ? `${file}${typeof f.line === 'number' ? `:${f.line}` : ''}` : '', message: asText(f.message), agent: asText(f.agent) };
}

// A review note read defensively: what each reviewer said, and the diff it was shown.
export function describeReviewNote(body: unknown): ReviewNoteView {
  const note = asRecord(body);
  const verdicts = asArray(note.results).map((value) => {
    const result = asRecord(value);
    const answer = asRecord(result.answer);
    const outcome = result.status === 'answered' ? asText(answer.verdict) : asText(result.status).replace('_', ' ');
    const summary = result.status === 'answered' ? asText(answer.summary) : asText(result.detail) || asText(result.message);
    return { agent: asText(result.agent), outcome, summary, findings: asArray(answer.findings).map(describeFinding) };
  });
  const diff = asRecord(note.diff);
  const round = typeof note.round === 'number' && note.round > 0 ? `, round ${note.round}` : '';
  const said = verdicts.map((v) => `${v.agent} ${v.outcome}`).join(', ') || 'no reviewer';
  return {
    title: note.reviewId ? `${asText(note.reviewId)} · ${asText(note.phaseId)}${round} · ${asText(note.trigger)}: ${said}` : summarizeNote(body),
    verdicts,
    files: asArray(diff.files).map((file) => asText(asRecord(file).path)),
    diff: asText(diff.text),
    diffTruncated: diff.truncated === true,
  };
}

// A decision note: the action, the rule that fired and why.
export function describeDecisionNote(body: unknown): DecisionNoteView {
  const note = asRecord(body);
  const action = asText(note.action);
  return {
    // A body of another shape still gets a readable title.
    title: action ? `${asText(note.reviewId)}: ${action} (${asText(note.rule).replace('_', ' ')})` : summarizeNote(body),
    reason: asText(note.reason),
    warning: note.warning === true,
    findings: asArray(note.findings).map(describeFinding),
  };
}
