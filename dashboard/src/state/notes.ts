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
