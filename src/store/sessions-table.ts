import { AGENT_NAMES, TIER_IDS, type AgentName, type ConfigFile, type Plan, type SessionSummary, type TierChange } from '../domain/index.js';
import type { Db } from './database.js';
import { isRecord, jsonColumn, numberColumn, readRow, textColumn, type CorruptRowHandler, type Parsed } from './rows.js';

/** One session as stored: what it works on, where, with whom, and how it ended. */
export interface SessionRecord {
  id: string;
  task: string;
  target: string;
  workspace: string;
  branch: string;
  worktree: string | null;
  repoRoot: string | null;
  plan: Plan;
  config: ConfigFile;
  agents: AgentName[];
  /** The session's lifecycle state (running, completed, failed, stopped, interrupted, ...). */
  state: string;
  startedAt: number;
  endedAt: number | null;
  summary: SessionSummary | null;
  tierPath: TierChange[];
}

type Optional = 'worktree' | 'repoRoot' | 'endedAt' | 'summary' | 'tierPath';
/** A session as created: where it will work is not always known yet, and it has not ended. */
export type NewSession = Omit<SessionRecord, Optional> & Partial<Pick<SessionRecord, Optional>>;
/** Fields to change; a field set to undefined is left alone, null clears a nullable one. */
export type SessionChanges = Partial<Omit<SessionRecord, 'id'>>;

/** Field → column, and whether it holds JSON. Also the allow-list for dynamic UPDATEs. */
const COLUMNS: Record<keyof SessionChanges, { column: string; json?: true }> = {
  task: { column: 'task' },
  target: { column: 'target' },
  workspace: { column: 'workspace' },
  branch: { column: 'branch' },
  worktree: { column: 'worktree' },
  repoRoot: { column: 'repo_root' },
  plan: { column: 'plan', json: true },
  config: { column: 'config', json: true },
  agents: { column: 'agents', json: true },
  state: { column: 'state' },
  startedAt: { column: 'started_at' },
  endedAt: { column: 'ended_at' },
  summary: { column: 'summary', json: true },
  tierPath: { column: 'tier_path', json: true },
};
const FIELDS = Object.keys(COLUMNS) as (keyof SessionChanges)[];

type Row = Record<string, unknown>;

// The sessions table: one row per session, with its JSON columns checked on the way out.
export function createSessionsTable(db: Db, onCorrupt: CorruptRowHandler) {
  const insert = db.prepare(
    `INSERT INTO sessions (id, ${FIELDS.map((f) => COLUMNS[f].column).join(', ')}) VALUES (@id, ${FIELDS.map((f) => `@${f}`).join(', ')})`,
  );
  const get = db.prepare<[string], Row>('SELECT * FROM sessions WHERE id = ?');
  const list = db.prepare<[number], Row>('SELECT * FROM sessions ORDER BY started_at DESC, rowid DESC LIMIT ?');
  const updates = new Map<string, ReturnType<Db['prepare']>>();

  const read = (row: Row | undefined): SessionRecord | undefined => {
    if (!row) return undefined;
    const record = fromRow(row);
    if (record.ok) return record.value;
    onCorrupt({ table: 'sessions', key: String(row.id), reason: record.reason });
    return undefined;
  };

  return {
    createSession(session: NewSession): SessionRecord {
      const record: SessionRecord = { worktree: null, repoRoot: null, endedAt: null, summary: null, tierPath: [], ...session };
      insert.run(toParams(record));
      return record;
    },
    /** Changes the given fields; false when there is no such session. */
    updateSession(id: string, changes: SessionChanges): boolean {
      const fields = Object.keys(changes).filter((f) => changes[f as keyof SessionChanges] !== undefined).sort() as (keyof SessionChanges)[];
      const unknown = fields.find((f) => !(f in COLUMNS));
      if (unknown) throw new TypeError(`cannot update session field ${unknown}`);
      if (fields.length === 0) return get.get(id) !== undefined;
      const key = fields.join(',');
      let update = updates.get(key);
      if (!update) {
        update = db.prepare(`UPDATE sessions SET ${fields.map((f) => `${COLUMNS[f].column} = @${f}`).join(', ')} WHERE id = @id`);
        updates.set(key, update);
      }
      const params: Row = { id };
      for (const f of fields) params[f] = toColumn(f, changes[f]);
      return update.run(params).changes > 0;
    },
    getSession(id: string): SessionRecord | undefined {
      return read(get.get(id));
    },
    /** Newest first; corrupt rows are reported and left out. */
    listSessions(limit = -1): SessionRecord[] {
      return list.all(limit).flatMap((row) => read(row) ?? []);
    },
  };
}

function toParams(record: SessionRecord): Row {
  const params: Row = { id: record.id };
  for (const f of FIELDS) params[f] = toColumn(f, record[f]);
  return params;
}

function toColumn(field: keyof SessionChanges, value: unknown): unknown {
  if (!COLUMNS[field].json) return value ?? null;
  // A nullable JSON column (summary) stores SQL NULL rather than the text 'null'.
  return value === null || value === undefined ? (field === 'summary' ? null : 'null') : JSON.stringify(value);
}

function fromRow(row: Row): Parsed<SessionRecord> {
  return readRow(() => ({
    id: textColumn(row, 'id'),
    task: textColumn(row, 'task'),
    target: textColumn(row, 'target'),
    workspace: textColumn(row, 'workspace'),
    branch: textColumn(row, 'branch'),
    worktree: textColumn(row, 'worktree', true),
    repoRoot: textColumn(row, 'repo_root', true),
    plan: jsonColumn(row, 'plan', { is: isPlan, expected: 'a plan with phases' }),
    config: jsonColumn(row, 'config', { is: isConfig, expected: 'an object' }),
    agents: jsonColumn(row, 'agents', { is: isAgentList, expected: 'known agent names' }),
    state: textColumn(row, 'state'),
    startedAt: numberColumn(row, 'started_at'),
    endedAt: numberColumn(row, 'ended_at', true),
    summary: jsonColumn(row, 'summary', { is: isSummary, expected: 'an object' }, true),
    tierPath: jsonColumn(row, 'tier_path', { is: isTierPath, expected: 'steps between known tiers' }),
  }));
}

// Cheap shape checks: the data is ours, these only catch damage, not every schema detail.
function isPlan(value: unknown): value is Plan {
  return isRecord(value) && Array.isArray(value.phases);
}

function isConfig(value: unknown): value is ConfigFile {
  return isRecord(value);
}

function isSummary(value: unknown): value is SessionSummary {
  return isRecord(value);
}

function isAgentList(value: unknown): value is AgentName[] {
  return Array.isArray(value) && value.every((agent) => (AGENT_NAMES as readonly unknown[]).includes(agent));
}

function isTierPath(value: unknown): value is TierChange[] {
  const isTier = (id: unknown) => (TIER_IDS as readonly unknown[]).includes(id);
  return Array.isArray(value) && value.every((step) => isRecord(step) && isTier(step.to) && (step.from === null || isTier(step.from)) && typeof step.reason === 'string');
}
