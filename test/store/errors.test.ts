import { describe, expect, it } from 'vitest';
import { classifyWriteError } from '../../src/store/errors.js';

const sqliteError = (code: string) => Object.assign(new Error(code), { code });

describe('classifyWriteError', () => {
  it('waits out lock contention, pauses on storage faults, reports the rest', () => {
    expect(classifyWriteError(sqliteError('SQLITE_BUSY'))).toBe('busy');
    expect(classifyWriteError(sqliteError('SQLITE_BUSY_SNAPSHOT'))).toBe('busy');
    expect(classifyWriteError(sqliteError('SQLITE_LOCKED_SHAREDCACHE'))).toBe('busy');
    expect(classifyWriteError(sqliteError('SQLITE_FULL'))).toBe('storage');
    expect(classifyWriteError(sqliteError('SQLITE_IOERR_WRITE'))).toBe('storage');
    expect(classifyWriteError(sqliteError('SQLITE_READONLY'))).toBe('other');
    expect(classifyWriteError(new TypeError('The database connection is not open'))).toBe('other');
    expect(classifyWriteError('text')).toBe('other');
  });
});
