// The SQLite WAL's size bound: where the checkpointer starts restarting the log, and the guard that refuses writes before the log can reach the bound.
import { statSync } from 'node:fs';
import { StorageError } from '../storage-error.js';

/** 64 MiB: a few seconds of the heaviest sustained ingest measured, a small fraction of any disk. */
export const DEFAULT_WAL_LIMIT_BYTES = 64 * 1024 * 1024;
/** Below this a bound would be smaller than a few large transactions. */
export const MIN_WAL_LIMIT_BYTES = 256 * 1024;

export interface WalBound {
  /** The WAL file stays under this: writes are refused from three quarters of it. */
  limitBytes: number;
}

/**
 * When the live log (frames since its last restart) reaches a quarter of the bound, the
 * checkpointer follows its PASSIVE checkpoint with a RESTART one. The next quarters are headroom
 * for the writes that go on while a RESTART waits out a reader.
 */
export function restartThresholdBytes(bound: WalBound): number {
  return Math.floor(bound.limitBytes / 4);
}

/**
 * A restarted log reuses the file from its beginning; after the first commit in it, SQLite cuts the
 * file back to this size (journal_size_limit), so a burst does not leave its high-water mark on disk.
 */
export function journalSizeLimitBytes(bound: WalBound): number {
  return Math.floor(bound.limitBytes / 8);
}

/**
 * At three quarters of the bound writes are refused: the last quarter is room for the transactions
 * already under way (an ingest group commit or a worker apply writes a few MiB at most), so the file
 * stays under the bound itself.
 */
export function refuseThresholdBytes(bound: WalBound): number {
  return Math.floor((bound.limitBytes * 3) / 4);
}

export function walBoundFrom(limitBytes: number | undefined): WalBound {
  const limit = limitBytes ?? DEFAULT_WAL_LIMIT_BYTES;
  if (!Number.isInteger(limit) || limit < MIN_WAL_LIMIT_BYTES) {
    throw new StorageError(
      'open_failed',
      `walLimitBytes must be an integer >= ${MIN_WAL_LIMIT_BYTES}, got ${limitBytes}`,
    );
  }
  return { limitBytes: limit };
}

/**
 * The WAL file's size in bytes (0 when there is none). One stat call: 9-13 µs measured with both
 * cores busy under the soak bench, once per transaction (a group commit of many requests), not per item.
 */
export function walFileBytes(databasePath: string): number {
  return statSync(`${databasePath}-wal`, { throwIfNoEntry: false })?.size ?? 0;
}

/**
 * Called before each bulk write transaction that starts new work (the ingest group commit, the worker's claim).
 * Past the bound, a reader that has held one snapshot for longer than the checkpointer could wait
 * pins the log, and every further write would grow it: refuse the write as `busy` instead (ingest
 * answers 503 + Retry-After, the worker ends its pass), so disk stays at the database plus the bound.
 * It checks the file itself, not a flag from the checkpointer, so it holds whatever the threads do.
 */
export function assertWalWithinBound(databasePath: string, bound: WalBound): void {
  const bytes = walFileBytes(databasePath);
  if (bytes < refuseThresholdBytes(bound)) return;
  throw new StorageError(
    'busy',
    `the write-ahead log ${databasePath}-wal is ${bytes} bytes, near its bound of ${bound.limitBytes}: ` +
      'a long read transaction keeps it from being checkpointed, so writes wait until a checkpoint truncates it',
  );
}
