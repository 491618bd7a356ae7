/**
 * Failures of the trace store, each with a stable code, the file involved and what to do.
 * Codes: store_corrupt, store_not_ours, store_too_new, store_outdated, store_busy, store_io, store_invalid_input,
 * store_not_found, store_closed.
 */
import { RlvrError } from '../errors';

export type StoreErrorCode =
  | 'store_corrupt'
  | 'store_not_ours'
  | 'store_too_new'
  | 'store_outdated'
  | 'store_busy'
  | 'store_io'
  | 'store_invalid_input'
  | 'store_not_found'
  | 'store_closed';

export class StoreError extends RlvrError {
  constructor(
    message: string,
    override readonly code: StoreErrorCode,
    hint?: string,
    /** The SQLite error this was translated from, if any. */
    readonly sqliteCode?: string,
  ) {
    super(message, code, hint);
  }
}

export function corruptStoreError(path: string, detail: string): StoreError {
  return new StoreError(
    `the trace database ${path} is damaged or is not a SQLite file (${detail})`,
    'store_corrupt',
    `It was left untouched. Move it aside (mv "${path}" "${path}.damaged") to start a new one, or try to salvage it with: sqlite3 "${path}" .recover > recovered.sql`,
    detail.split(':')[0],
  );
}

export function invalidInput(what: string, problem: string): StoreError {
  return new StoreError(`${what}: ${problem}`, 'store_invalid_input', 'This is a bug in the caller of the store; nothing was written for this call.');
}

interface SqliteError extends Error {
  code?: string;
}

/**
 * Maps a raw sqlite3 error to a StoreError that names the file; anything unexpected (a bad SQL
 * statement is our bug) is returned unchanged so it keeps its stack.
 */
export function translateSqliteError(error: unknown, path: string, sql?: string): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  if (error instanceof StoreError) return error;
  const code = (error as SqliteError).code ?? '';
  const message = error.message.replace(/^SQLITE_[A-Z_]+: /, '');
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return corruptStoreError(path, `${code}: ${message}`);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new StoreError(`the trace database ${path} stayed locked by another writer (${message})`, 'store_busy',
      'Another rlvr process is writing a large batch or holds a long transaction. Retry, or stop the other process.', code);
  }
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
    return new StoreError(`cannot ${sql ? 'write to' : 'open'} the trace database ${path}: ${code} ${message}`, 'store_io',
      'Check that the folder exists, is writable, and that the disk is not full.', code);
  }
  return error;
}
