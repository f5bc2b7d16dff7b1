// Connection settings of every SQLite storage connection: WAL, commit durability, lock waiting, foreign keys.
import type Database from 'better-sqlite3';
import { StorageError } from '../storage-error.js';

/**
 * How hard a commit waits for the disk.
 * - `normal`: in WAL mode a commit has been write()n to the WAL file when it returns, so it is in
 *   the kernel's page cache and survives the process being killed (kill -9, OOM, crash) — the
 *   guarantee a 202 from the collector promises. Only an OS crash or power loss can lose it, and only
 *   commits since the last checkpoint (which fsyncs the WAL; about every 100 ms, see
 *   sqlite-checkpointer.ts). No fsync per commit, which is what keeps ingest off the disk's latency.
 * - `full`: fsync the WAL on every commit; also survives OS crash and power loss, at the price of
 *   one fsync (milliseconds, blocking the event loop) per ingest request.
 */
export type SqliteSynchronous = 'normal' | 'full';

export interface SqlitePragmaOptions {
  /** @default 'normal' */
  synchronous?: SqliteSynchronous;
  /** How long a writer waits for another connection's lock before failing with `busy`. @default 5000 */
  busyTimeoutMs?: number;
  /**
   * Caps the database at this many pages (pragma max_page_count): a write that needs more fails as
   * `unavailable` (SQLITE_FULL), exactly as on a full disk. A quota, and what the tests use to fill a
   * database deterministically. @default SQLite's own (no practical cap)
   */
  maxPageCount?: number;
  /**
   * When the WAL is restarted from its beginning, the file is cut back to this size instead of
   * keeping its high-water mark on disk. @default -1 (never cut; SQLite's default)
   */
  journalSizeLimitBytes?: number;
}

/** Page cache per connection, in KiB (pragma cache_size takes a negative number for KiB). */
const CACHE_SIZE_KIB = -64 * 1024;

/** Pragma values come only from this allowlist: pragmas cannot take bound parameters. */
const SYNCHRONOUS_VALUES: Record<SqliteSynchronous, string> = { normal: 'NORMAL', full: 'FULL' };

export function applyPragmas(db: Database.Database, options: SqlitePragmaOptions = {}): void {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new StorageError('open_failed', `busyTimeoutMs must be a non-negative integer, got ${busyTimeoutMs}`);
  }
  // WAL: readers never block the writer, and a commit is one sequential append to the WAL file.
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${SYNCHRONOUS_VALUES[options.synchronous ?? 'normal']}`);
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('foreign_keys = ON');
  // Erasure (docs/privacy.md): a row rewritten or deleted leaves its old bytes in the page's free space
  // unless they are zeroed, and an erased person's id would outlive the erasure there. FAST zeroes
  // them whenever that costs no extra I/O (in-page space; freed pages keep theirs, which erasure
  // itself then overwrites with secure_delete ON). Cost measured in bench/secure-delete.ts.
  db.pragma('secure_delete = FAST');
  const journalSizeLimit = options.journalSizeLimitBytes ?? -1;
  if (!Number.isInteger(journalSizeLimit))
    throw new StorageError('open_failed', `journalSizeLimitBytes must be an integer, got ${journalSizeLimit}`);
  db.pragma(`journal_size_limit = ${journalSizeLimit}`);
  // The worker's upserts land at random places in the id-keyed indexes; SQLite's default 2 MB
  // page cache re-reads most of those pages from the OS on every pass. 64 MB (negative = KiB)
  // keeps the hot index pages resident; it is a cap, allocated only as pages are used.
  db.pragma(`cache_size = ${CACHE_SIZE_KIB}`);
  // Sorts and temporary b-trees (ORDER BY, IN lists) never touch the disk.
  db.pragma('temp_store = MEMORY');
  if (options.maxPageCount !== undefined) {
    if (!Number.isInteger(options.maxPageCount) || options.maxPageCount < 1) {
      throw new StorageError('open_failed', `maxPageCount must be a positive integer, got ${options.maxPageCount}`);
    }
    db.pragma(`max_page_count = ${options.maxPageCount}`);
  }
}
