/** Why a database file could not be used; each code has its own remedy for the user. */
export type StoreOpenErrorCode = 'cannotOpen' | 'notADatabase' | 'corrupt' | 'foreignDatabase' | 'schemaTooNew' | 'schemaTooOld' | 'migrationFailed';

// Thrown by openDatabase with a message a user can act on, instead of SQLite's terse text.
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
  constructor(
    readonly code: StoreOpenErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** How a failed write should be handled: waited out, paused on, or reported. */
export type WriteFault = 'busy' | 'storage' | 'other';

// Classifies a failed write by SQLite's (extended) result code, e.g. SQLITE_BUSY_SNAPSHOT or SQLITE_IOERR_WRITE.
export function classifyWriteError(error: unknown): WriteFault {
  const code = sqliteCode(error);
  if (code === undefined) return 'other';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) return 'storage';
  return 'other';
}

// The SQLite result code carried by a better-sqlite3 SqliteError, if the error is one.
export function sqliteCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}
