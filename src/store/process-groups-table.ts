import type { Db } from './database.js';
import { numberColumn, readRow, textColumn, type CorruptRowHandler } from './rows.js';

/**
 * An agent's process group, recorded before its first output is read, so a later start can reap a
 * group the orchestrator left behind: by pgid and kernel start time, never by name (a reused pid
 * has another start time).
 */
export interface ProcessGroupRecord {
  id: number;
  sessionId: string;
  workerId: string;
  pid: number;
  pgid: number;
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat), where known. */
  startTime: number | null;
  spawnedAt: number;
  endedAt: number | null;
}

/** What is known at spawn time; the start time may be missing where /proc is not available. */
export type NewProcessGroup = Omit<ProcessGroupRecord, 'id' | 'endedAt' | 'startTime'> & { startTime?: number | null };

type Row = Record<string, unknown>;

// The process_groups table.
export function createProcessGroupsTable(db: Db, onCorrupt: CorruptRowHandler) {
  const insert = db.prepare(
    'INSERT INTO process_groups (session_id, worker_id, pid, pgid, start_time, spawned_at) VALUES (@sessionId, @workerId, @pid, @pgid, @startTime, @spawnedAt)',
  );
  const end = db.prepare('UPDATE process_groups SET ended_at = ? WHERE session_id = ? AND pgid = ? AND ended_at IS NULL');
  const openInSession = db.prepare<[string], Row>('SELECT * FROM process_groups WHERE session_id = ? AND ended_at IS NULL ORDER BY id');
  const openAll = db.prepare<[], Row>('SELECT * FROM process_groups WHERE ended_at IS NULL ORDER BY id');

  const read = (rows: Row[]): ProcessGroupRecord[] =>
    rows.flatMap((row) => {
      const parsed = readRow(() => fromRow(row));
      if (parsed.ok) return [parsed.value];
      onCorrupt({ table: 'process_groups', key: String(row.id), reason: parsed.reason });
      return [];
    });

  return {
    /** Returns the new row's id. */
    recordProcessGroup(group: NewProcessGroup): number {
      return Number(insert.run({ startTime: null, ...group }).lastInsertRowid);
    },
    /** Marks the session's open group with this pgid as ended; returns how many rows changed. */
    endProcessGroup(sessionId: string, pgid: number, endedAt: number = Date.now()): number {
      return end.run(endedAt, sessionId, pgid).changes;
    },
    /** Groups not known to have ended: of one session, or of all sessions (for reaping at start-up). */
    listOpenProcessGroups(sessionId?: string): ProcessGroupRecord[] {
      return read(sessionId === undefined ? openAll.all() : openInSession.all(sessionId));
    },
  };
}

function fromRow(row: Row): ProcessGroupRecord {
  return {
    id: numberColumn(row, 'id'),
    sessionId: textColumn(row, 'session_id'),
    workerId: textColumn(row, 'worker_id'),
    pid: numberColumn(row, 'pid'),
    pgid: numberColumn(row, 'pgid'),
    startTime: numberColumn(row, 'start_time', true),
    spawnedAt: numberColumn(row, 'spawned_at'),
    endedAt: numberColumn(row, 'ended_at', true),
  };
}
