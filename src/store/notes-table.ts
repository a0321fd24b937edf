import type { Db } from './database.js';
import { jsonColumn, numberColumn, readRow, textColumn, type CorruptRowHandler } from './rows.js';

/** The tables that hold one JSON note per row, tied to the event seq it was made at. */
export type NoteTable = 'reviews' | 'decisions' | 'recovery_actions';

/** A review, a decision or a recovery action, stored as an opaque JSON body. */
export interface NoteRecord {
  id: number;
  sessionId: string;
  seq: number;
  body: unknown;
}

type Row = Record<string, unknown>;

// One note table. `table` comes from the fixed NoteTable union, never from input, so it is safe in SQL.
export function createNotesTable(db: Db, table: NoteTable, onCorrupt: CorruptRowHandler) {
  const insert = db.prepare(`INSERT INTO ${table} (session_id, seq, body) VALUES (?, ?, ?)`);
  const list = db.prepare<[string], Row>(`SELECT * FROM ${table} WHERE session_id = ? ORDER BY seq, id`);
  return {
    /** Returns the new note's id. */
    record(sessionId: string, seq: number, body: unknown): number {
      return Number(insert.run(sessionId, seq, JSON.stringify(body ?? null)).lastInsertRowid);
    },
    /** The session's notes in seq order. */
    list(sessionId: string): NoteRecord[] {
      return list.all(sessionId).flatMap((row) => {
        const parsed = readRow(() => fromRow(row));
        if (parsed.ok) return [parsed.value];
        onCorrupt({ table, key: String(row.id), reason: parsed.reason });
        return [];
      });
    },
  };
}

function fromRow(row: Row): NoteRecord {
  return {
    id: numberColumn(row, 'id'),
    sessionId: textColumn(row, 'session_id'),
    seq: numberColumn(row, 'seq'),
    body: jsonColumn(row, 'body'),
  };
}
