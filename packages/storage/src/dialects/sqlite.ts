// The SQLite dialect: opens a database file (or ':memory:'), configures it, and serves the Storage contract.
import Database from 'better-sqlite3';
import { bindQueries } from '../queries/bind-queries.js';
import { StorageError } from '../storage-error.js';
import type { Storage } from '../storage.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import { createSqliteConnection } from './sqlite-connection.js';
import { migrateSqlite } from './sqlite-migrations.js';
import { applyPragmas, type SqlitePragmaOptions } from './sqlite-pragmas.js';

export interface SqliteStorageOptions extends SqlitePragmaOptions {
  /** Database file path, created if missing (its directory must exist), or ':memory:'. */
  path: string;
  /**
   * A reader beside the collector's own connection (a read thread): every write is refused
   * (query_only) and it leaves checkpoints to the writer's checkpointer.
   */
  readOnly?: boolean;
}

function openDatabase(options: SqliteStorageOptions): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(options.path);
    applyPragmas(db, options);
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
  const db = openDatabase(options);
  const conn = createSqliteConnection(db, options.path);
  // ':memory:' has no WAL to checkpoint.
  const checkpointer = options.readOnly !== true && db.pragma('journal_mode', { simple: true }) === 'wal' ? startCheckpointer(db, options.path) : null;
  return {
    dialect: 'sqlite',
    migrate: () => migrateSqlite(conn),
    close: async () => {
      // The worker's connection closes first, so this one is the last and leaves no WAL behind.
      await checkpointer?.stop();
      if (db.open) db.close();
    },
    ...bindQueries(conn),
  };
}
