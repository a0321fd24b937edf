import type { Db } from './database.js';
import { jsonColumn, numberColumn, readRow, textColumn, type CorruptRowHandler } from './rows.js';

/** A persisted actor snapshot and the last event seq it reflects: resume = restore it, replay after seq. */
export interface SnapshotRecord {
  sessionId: string;
  seq: number;
  ts: number;
  snapshot: unknown;
}

type Row = Record<string, unknown>;

// The snapshots table, keyed by (session, seq).
export function createSnapshotsTable(db: Db, onCorrupt: CorruptRowHandler) {
  // Saving again at the same seq replaces: the newer snapshot of the same point wins.
  const save = db.prepare(
    'INSERT INTO snapshots (session_id, seq, ts, snapshot) VALUES (?, ?, ?, ?) ON CONFLICT (session_id, seq) DO UPDATE SET ts = excluded.ts, snapshot = excluded.snapshot',
  );
  const nearest = db.prepare<[string, number], Row>('SELECT * FROM snapshots WHERE session_id = ? AND seq <= ? ORDER BY seq DESC');

  return {
    saveSnapshot(sessionId: string, seq: number, ts: number, snapshot: unknown): void {
      save.run(sessionId, seq, ts, JSON.stringify(snapshot ?? null));
    },
    /** The newest snapshot at or before `atOrBeforeSeq` (default: the newest); a corrupt one is reported and an older one used. */
    latestSnapshot(sessionId: string, atOrBeforeSeq: number = Number.MAX_SAFE_INTEGER): SnapshotRecord | undefined {
      // The iterator walks the primary-key index backwards and stops at the first readable row.
      for (const row of nearest.iterate(sessionId, atOrBeforeSeq)) {
        const parsed = readRow(() => fromRow(row));
        if (parsed.ok) return parsed.value;
        onCorrupt({ table: 'snapshots', key: `${sessionId}#${String(row.seq)}`, reason: parsed.reason });
      }
      return undefined;
    },
  };
}

function fromRow(row: Row): SnapshotRecord {
  return {
    sessionId: textColumn(row, 'session_id'),
    seq: numberColumn(row, 'seq'),
    ts: numberColumn(row, 'ts'),
    snapshot: jsonColumn(row, 'snapshot'),
  };
}
