// The SQLite dialect: opens a database file (or ':memory:'), configures it, and serves the Storage contract.
import Database from 'better-sqlite3';
import { bindQueries } from '../queries/bind-queries.js';
import { StorageError } from '../storage-error.js';
import type { Storage } from '../storage.js';
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer.js';
import { createSqliteConnection } from './sqlite-connection.js';
import { sqliteDiskUsage } from './sqlite-disk-usage.js';
import { migrateSqlite } from './sqlite-migrations.js';
import { applyPragmas, type SqlitePragmaOptions } from './sqlite-pragmas.js';
import { journalSizeLimitBytes, walBoundFrom, type WalBound } from './wal-bound.js';

export interface SqliteStorageOptions extends SqlitePragmaOptions {
  /** Database file path, created if missing (its directory must exist), or ':memory:'. */
  path: string;
  /**
   * A reader beside the collector's own connection (a read thread): every write is refused
   * (query_only) and it leaves checkpoints to the writer's checkpointer.
   */
  readOnly?: boolean;
  /**
   * The WAL file stays under this: from a quarter of it the checkpointer restarts the log, and
   * from three quarters bulk writes are refused as `busy` until a checkpoint succeeds (wal-bound.ts).
   * @default 67108864 (64 MiB)
   */
  walLimitBytes?: number;
  /**
   * Run the background checkpointer on this connection. Another connection to the same file in
   * this process (the inbox worker thread's) passes false and leaves the job to the first one.
   * @default true
   */
  backgroundCheckpoints?: boolean;
}

function openDatabase(options: SqliteStorageOptions, bound: WalBound): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(options.path);
    applyPragmas(db, { ...options, journalSizeLimitBytes: journalSizeLimitBytes(bound) });
    if (options.readOnly === true) db.pragma('query_only = ON');
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof StorageError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new StorageError('open_failed', `cannot open sqlite storage ${options.path}: ${message}`, { cause: error });
  }
}

/**
 * Opens SQLite storage. Call `migrate()` before first use. One instance owns one connection and
 * its statement cache; better-sqlite3 is synchronous, so each call runs to completion before the
 * next, and other processes on the same file serialize on SQLite's write lock (busy_timeout).
 */
export function openSqliteStorage(options: SqliteStorageOptions): Storage {
  const bound = walBoundFrom(options.walLimitBytes);
  const db = openDatabase(options, bound);
  // ':memory:' has no WAL to checkpoint or bound.
  const wal = db.pragma('journal_mode', { simple: true }) === 'wal';
  // A read-only connection never writes: nothing of the bound to check, no checkpoints to run.
  const writer = options.readOnly !== true;
  const conn = createSqliteConnection(db, options.path, wal && writer ? bound : null);
  let checkpointer: Checkpointer | null = null;
  if (wal && writer && options.backgroundCheckpoints !== false)
    checkpointer = startCheckpointer(db, options.path, bound);
  else if (wal) db.pragma('wal_autocheckpoint = 0');
  return {
    dialect: 'sqlite',
    migrate: (migrateOptions) => migrateSqlite(conn, undefined, undefined, migrateOptions),
    close: async () => {
      // The worker's connection closes first, so this one is the last and leaves no WAL behind.
      await checkpointer?.stop();
      if (db.open) db.close();
    },
    diskUsage: async () => sqliteDiskUsage(options.path, wal ? bound : null, checkpointer),
    ...bindQueries(conn),
  };
}
