// The dialect switch every query goes through: one implementation per dialect, checked at compile time.
import { StorageError } from '../storage-error.js';
import type { SqliteConnection } from './sqlite-connection.js';

/** A live connection of one dialect. Issue 7 adds `| PostgresConnection`. */
export type Connection = SqliteConnection;

/**
 * One implementation of a query per dialect. Every member is required, so a query file that lacks
 * a dialect fails to compile. Issue 7 adds a required
 * `postgres: (conn: PostgresConnection) => Promise<T>` member.
 */
export interface Dialects<T> {
  /** Synchronous: better-sqlite3 runs on the calling thread; runQuery makes it async like the rest. */
  sqlite: (conn: SqliteConnection) => T;
}

/** SQLITE_BUSY / SQLITE_LOCKED (and their extended codes) mean "try again later", not "broken". */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

function toStorageError(error: unknown, conn: Connection, query: string): StorageError {
  if (error instanceof StorageError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StorageError(
    isBusy(error) ? 'busy' : 'query_failed',
    `${query} failed on ${conn.dialect} storage ${conn.location}: ${message}`,
    { cause: error },
  );
}

/** Runs the connection's dialect of a query; driver failures become a StorageError naming the query. */
export async function runQuery<T>(conn: Connection, query: string, dialects: Dialects<T>): Promise<T> {
  try {
    switch (conn.dialect) {
      case 'sqlite': return dialects.sqlite(conn);
    }
  } catch (error) {
    throw toStorageError(error, conn, query);
  }
}
