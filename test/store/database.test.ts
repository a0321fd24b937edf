import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { checkIntegrity, openDatabase, type Db } from '../../src/store/database.js';
import { StoreOpenError } from '../../src/store/errors.js';
import { APPLICATION_ID, migrate, MIGRATIONS, SCHEMA_VERSION, userVersion } from '../../src/store/migrations.js';
import { makeTempDir, removeTempDirs, tempDbPath } from './support.js';

const open: Db[] = [];
function track(db: Db): Db {
  open.push(db);
  return db;
}

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  removeTempDirs();
});

function tables(db: Db): string[] {
  return db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .all()
    .map((row) => row.name);
}

function openError(path: string, options?: Parameters<typeof openDatabase>[1]): StoreOpenError {
  try {
    track(openDatabase(path, options));
  } catch (error) {
    expect(error).toBeInstanceOf(StoreOpenError);
    return error as StoreOpenError;
  }
  throw new Error('openDatabase did not throw');
}

describe('openDatabase', () => {
  it('creates the file and its directories, sets the pragmas and applies the schema', () => {
    const path = join(makeTempDir(), 'nested', 'deeper', 'state.db');
    const db = track(openDatabase(path));
    expect(existsSync(path)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(tables(db)).toEqual(['decisions', 'events', 'process_groups', 'recovery_actions', 'reviews', 'sessions', 'snapshots', 'workers']);
    expect(checkIntegrity(db, 'full')).toEqual([]);
  });

  it('takes the busy timeout and synchronous level from its options', () => {
    const db = track(openDatabase(tempDbPath(), { busyTimeoutMs: 250, synchronous: 'FULL' }));
    expect(db.pragma('busy_timeout', { simple: true })).toBe(250);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('is idempotent on reopen and keeps the data', () => {
    const path = tempDbPath();
    const first = openDatabase(path);
    first.prepare("INSERT INTO events VALUES ('s', 1, 1, 'w', 't', '{}')").run();
    first.close();
    const db = track(openDatabase(path));
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    expect(migrate(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
  });

  it('applies each migration in its own transaction, so a failing step leaves the previous version', () => {
    const path = tempDbPath();
    const broken = [...MIGRATIONS, { version: 2, description: 'broken', sql: 'CREATE TABLE extra (x); CREATE TABLE oops (' }];
    const error = openError(path, { migrations: broken });
    expect(error.code).toBe('migrationFailed');
    expect(error.message).toContain('schema version 2 (broken)');
    const db = track(openDatabase(path));
    expect(userVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('extra');
  });

  it('applies a later migration to an existing file', () => {
    const path = tempDbPath();
    openDatabase(path).close();
    const next = [...MIGRATIONS, { version: 2, description: 'add a table', sql: 'CREATE TABLE extra (x INTEGER) STRICT;' }];
    const db = track(openDatabase(path, { migrations: next }));
    expect(userVersion(db)).toBe(2);
    expect(tables(db)).toContain('extra');
  });

  it('refuses a schema newer than this build, without touching it', () => {
    const path = tempDbPath();
    const db = openDatabase(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    const error = openError(path);
    expect(error.code).toBe('schemaTooNew');
    expect(error.message).toContain(`schema version ${SCHEMA_VERSION + 5}`);
    expect(error.message).toContain(`up to ${SCHEMA_VERSION}`);
    const raw = track(new Database(path, { readonly: true }));
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 5);
  });

  it('refuses a file that is not a database, and leaves it as it was', () => {
    const path = join(makeTempDir(), 'notes.db');
    const text = 'these are notes, not a database\n'.repeat(64);
    writeFileSync(path, text);
    const error = openError(path);
    expect(error.code).toBe('notADatabase');
    expect(error.message).toContain('is not an SQLite database');
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it("refuses another program's SQLite file", () => {
    const withTables = tempDbPath();
    const other = new Database(withTables);
    other.exec('CREATE TABLE mine (x)');
    other.close();
    expect(openError(withTables).code).toBe('foreignDatabase');

    const withAppId = tempDbPath();
    const tagged = new Database(withAppId);
    tagged.pragma('application_id = 1234');
    tagged.close();
    expect(openError(withAppId).code).toBe('foreignDatabase');
  });

  it('opens read-only for replay, and refuses a missing file', () => {
    const path = tempDbPath();
    openDatabase(path).close();
    const db = track(openDatabase(path, { readonly: true }));
    expect(db.readonly).toBe(true);
    expect(() => db.prepare("INSERT INTO events VALUES ('s', 1, 1, 'w', 't', '{}')").run()).toThrow();
    expect(openError(tempDbPath(), { readonly: true }).code).toBe('cannotOpen');
  });
});
