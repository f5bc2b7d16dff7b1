// The one exception type of the storage layer: infrastructure failures, each with a stable code.
import { TouchlineError } from '@touchline/core';

/**
 * - `invalid_url`: the storage URL or path cannot be understood.
 * - `dialect_unavailable`: the URL names a dialect this build cannot open yet.
 * - `open_failed`: the database could not be opened or configured.
 * - `migration_failed`: a migration file is malformed or failed to apply.
 * - `busy`: the database stayed locked past the busy timeout; retrying later can succeed.
 * - `unavailable`: the database cannot be reached or written right now (connection lost, server
 *   down, disk full, I/O error, database file deleted). Says nothing about the data: retry later.
 * - `query_failed`: any other failure while running a query.
 */
export type StorageErrorCode =
  | 'invalid_url'
  | 'dialect_unavailable'
  | 'open_failed'
  | 'migration_failed'
  | 'busy'
  | 'unavailable'
  | 'query_failed';

export class StorageError extends TouchlineError {
  declare readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'StorageError';
  }
}

/** The codes of failures of the storage itself, never of the data (see isStorageFault). */
export type StorageFaultCode = Extract<StorageErrorCode, 'busy' | 'unavailable'>;

/** True for a fault code; checks a code that crossed a thread boundary as plain data. */
export function isStorageFaultCode(value: unknown): value is StorageFaultCode {
  return value === 'busy' || value === 'unavailable';
}

/**
 * True for failures of the storage itself (`busy`, `unavailable`), never of the data: a caller
 * retries them later and must not treat the rows it was writing as bad (DESIGN.md L11).
 */
export function isStorageFault(error: unknown): error is StorageError & { readonly code: StorageFaultCode } {
  return error instanceof StorageError && isStorageFaultCode(error.code);
}

/**
 * True when storage said "try again later" (a lock held past the busy timeout, or the SQLite WAL at
 * its bound while a long reader pins it): the write was rolled back, and retrying can succeed.
 */
export function isStorageBusy(error: unknown): error is StorageError & { readonly code: 'busy' } {
  return error instanceof StorageError && error.code === 'busy';
}
