import { AGENT_NAMES, RoleSchema, type AgentName, type Role } from '../domain/index.js';
import type { Db } from './database.js';
import { choiceColumn, numberColumn, readRow, textColumn, type CorruptRowHandler } from './rows.js';

/** One worker (one agent run for one phase), with what is needed to resume it: vendor session id and cwd. */
export interface WorkerRecord {
  sessionId: string;
  workerId: string;
  phaseId: string | null;
  role: Role | null;
  agent: AgentName;
  state: string;
  vendorSessionId: string | null;
  cwd: string | null;
  startedAt: number;
  endedAt: number | null;
}

type Keep = 'phaseId' | 'role' | 'vendorSessionId' | 'cwd' | 'endedAt';
/** Omitted or null optional fields keep their stored value: a later update need not repeat them. */
export type WorkerUpsert = Omit<WorkerRecord, Keep> & Partial<Pick<WorkerRecord, Keep>>;

type Row = Record<string, unknown>;

// The workers table, keyed by (session, worker).
export function createWorkersTable(db: Db, onCorrupt: CorruptRowHandler) {
  const upsert = db.prepare(`
    INSERT INTO workers (session_id, worker_id, phase_id, role, agent, state, vendor_session_id, cwd, started_at, ended_at)
    VALUES (@sessionId, @workerId, @phaseId, @role, @agent, @state, @vendorSessionId, @cwd, @startedAt, @endedAt)
    ON CONFLICT (session_id, worker_id) DO UPDATE SET
      phase_id = coalesce(excluded.phase_id, phase_id),
      role = coalesce(excluded.role, role),
      agent = excluded.agent,
      state = excluded.state,
      vendor_session_id = coalesce(excluded.vendor_session_id, vendor_session_id),
      cwd = coalesce(excluded.cwd, cwd),
      ended_at = coalesce(excluded.ended_at, ended_at)`);
  const list = db.prepare<[string], Row>('SELECT * FROM workers WHERE session_id = ? ORDER BY started_at, worker_id');

  return {
    /** Inserts the worker or updates it; its first startedAt is kept. */
    upsertWorker(worker: WorkerUpsert): void {
      upsert.run({ phaseId: null, role: null, vendorSessionId: null, cwd: null, endedAt: null, ...worker });
    },
    listWorkers(sessionId: string): WorkerRecord[] {
      return list.all(sessionId).flatMap((row) => {
        const parsed = readRow(() => fromRow(row));
        if (parsed.ok) return [parsed.value];
        onCorrupt({ table: 'workers', key: `${String(row.session_id)}/${String(row.worker_id)}`, reason: parsed.reason });
        return [];
      });
    },
  };
}

function fromRow(row: Row): WorkerRecord {
  return {
    sessionId: textColumn(row, 'session_id'),
    workerId: textColumn(row, 'worker_id'),
    phaseId: textColumn(row, 'phase_id', true),
    role: choiceColumn(row, 'role', RoleSchema.options, true),
    agent: choiceColumn(row, 'agent', AGENT_NAMES),
    state: textColumn(row, 'state'),
    vendorSessionId: textColumn(row, 'vendor_session_id', true),
    cwd: textColumn(row, 'cwd', true),
    startedAt: numberColumn(row, 'started_at'),
    endedAt: numberColumn(row, 'ended_at', true),
  };
}
