import type { Db } from './database.js';
import { StoreOpenError } from './errors.js';
import { SCHEMA_V1 } from './schema-v1.js';

/** One schema step; `version` is the `user_version` the database has once it is applied. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/** Marks a file as ours ('ORCH'), so another program's SQLite file is refused rather than altered. */
export const APPLICATION_ID = 0x4f524348;

// The schema steps, oldest first. Append only: a released step is never edited.
export const MIGRATIONS: readonly Migration[] = [{ version: 1, description: 'initial schema', sql: SCHEMA_V1 }];

// The schema version this build writes and understands.
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

// Brings the schema up to the newest version, one transaction per step, so a failed step leaves
// the previous version intact. Refuses files that are newer than this build or not ours.
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations.at(-1)?.version ?? 0;
  checkOwnership(db, latest);
  for (const step of migrations) {
    try {
      // Re-read inside an IMMEDIATE transaction: another process may have migrated meanwhile.
      db.transaction(() => {
        if (userVersion(db) >= step.version) return;
        db.exec(step.sql);
        db.pragma(`application_id = ${APPLICATION_ID}`);
        db.pragma(`user_version = ${step.version}`);
      }).immediate();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreOpenError('migrationFailed', `upgrading ${db.name} to schema version ${step.version} (${step.description}) failed: ${reason}`, { cause: error });
    }
  }
  return userVersion(db);
}

// Throws unless the file is empty, ours, and not from a newer build.
export function checkOwnership(db: Db, latest: number): void {
  const name = db.name;
  const appId = Number(db.pragma('application_id', { simple: true }));
  const version = userVersion(db);
  if (appId !== 0 && appId !== APPLICATION_ID) {
    throw new StoreOpenError('foreignDatabase', `${name} is an SQLite database of another program (application_id ${appId}); refusing to change it`);
  }
  if (appId === 0 && version === 0 && hasTables(db)) {
    throw new StoreOpenError('foreignDatabase', `${name} already holds tables that orchestrate did not create; refusing to change it`);
  }
  if (version > latest) {
    throw new StoreOpenError(
      'schemaTooNew',
      `${name} has schema version ${version}, but this build of orchestrate knows versions up to ${latest}; use a newer orchestrate to open it`,
    );
  }
}

// The schema version recorded in the file header (0 for a new file).
export function userVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

function hasTables(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' LIMIT 1").get() !== undefined;
}
