// How a request that storage turned away for now is answered: 503 + Retry-After, never a 500 (the SDK retries it; nothing was stored).
import { StorageError } from '@touchline/storage';

/**
 * Storage said "try again later": a lock held past the busy timeout, or the SQLite WAL at its bound
 * while a long reader pins it (wal-bound.ts). The write was rolled back, so the client retries.
 */
export function isStorageBusy(error: unknown): boolean {
  return error instanceof StorageError && error.code === 'busy';
}

export const STORAGE_BUSY_RETRY_AFTER_SECONDS = 1;
export const STORAGE_BUSY_MESSAGE =
  'storage is busy (a lock, or the write-ahead log at its bound); nothing was stored, retry later';
