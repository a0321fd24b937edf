import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreOpenError, sqliteCode } from './errors.js';
import { checkOwnership, migrate, MIGRATIONS, userVersion, type Migration } from './migrations.js';

/** An open connection to the orchestrate database. */
export type Db = Database.Database;

/** How to open the database; the defaults suit the orchestrator's own writer connection. */
export interface OpenDatabaseOptions {
  /** How long a statement waits for another connection's write lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /**
   * NORMAL (default) survives a crash or kill -9 of the process; FULL also survives power loss or
   * an OS crash, at about one fsync per commit.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** Opens for reading only (replay, export): the file must exist and have the current schema. */
  readonly?: boolean;
  /** Schema steps; only tests pass their own. */
  migrations?: readonly Migration[];
}

/** Bounds the -wal file after a checkpoint, so one burst does not keep its disk space forever. */
const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

// Opens (creating it and its directory if needed) the database at `path` in WAL mode and brings its
// schema up to date. Throws StoreOpenError when the file is not a usable orchestrate database.
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  const readonly = options.readonly ?? false;
  const migrations = options.migrations ?? MIGRATIONS;
  if (!readonly && path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly, timeout: options.busyTimeoutMs ?? 5000 });
  } catch (error) {
    throw new StoreOpenError('cannotOpen', `cannot open the database ${path}: ${describe(error)}`, { cause: error });
  }
  try {
    configure(db, readonly, options.synchronous ?? 'NORMAL');
    if (readonly) checkReadable(db, migrations);
    else migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw toOpenError(path, error);
  }
}

// Runs SQLite's own consistency check; returns the problems it found, none when the file is sound.
// `quick` skips the index-content checks and suits start-up; `full` suits tests and repair.
export function checkIntegrity(db: Db, mode: 'quick' | 'full' = 'quick'): string[] {
  const rows = db.pragma(mode === 'quick' ? 'quick_check' : 'integrity_check', { simple: false }) as Record<string, unknown>[];
  const messages = rows.map((row) => String(Object.values(row)[0]));
  return messages.length === 1 && messages[0] === 'ok' ? [] : messages;
}

function configure(db: Db, readonly: boolean, synchronous: 'NORMAL' | 'FULL'): void {
  // The first statement reads the header: a file that is not a database fails here.
  if (!readonly) db.pragma('journal_mode = WAL');
  else db.pragma('schema_version');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
}

function checkReadable(db: Db, migrations: readonly Migration[]): void {
  const latest = migrations.at(-1)?.version ?? 0;
  checkOwnership(db, latest);
  const version = userVersion(db);
  if (version < latest) {
    throw new StoreOpenError('schemaTooOld', `${db.name} has schema version ${version} (current is ${latest}); open it once for writing to upgrade it`);
  }
}

function toOpenError(path: string, error: unknown): Error {
  if (error instanceof StoreOpenError) return error;
  const code = sqliteCode(error);
  if (code === 'SQLITE_NOTADB') return new StoreOpenError('notADatabase', `${path} is not an SQLite database`, { cause: error });
  if (code?.startsWith('SQLITE_CORRUPT')) {
    return new StoreOpenError('corrupt', `${path} is damaged (${describe(error)}); keep a copy and check it with sqlite3 .recover`, { cause: error });
  }
  return new StoreOpenError('cannotOpen', `cannot open the database ${path}: ${describe(error)}`, { cause: error });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
