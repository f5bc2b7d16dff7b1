// The dialect switch every query goes through: one implementation per dialect, checked at compile time.
import { StorageError } from '../storage-error.js';
import { isRetryablePgError, type PostgresConnection } from './postgres-connection.js';
import type { SqliteConnection } from './sqlite-connection.js';

/** A live connection of one dialect. */
export type Connection = SqliteConnection | PostgresConnection;

/**
 * One implementation of a query per dialect. Every member is required, so a query file that lacks
 * a dialect fails to compile.
 */
export interface Dialects<T> {
  /** Synchronous: better-sqlite3 runs on the calling thread; runQuery makes it async like the rest. */
  sqlite: (conn: SqliteConnection) => T;
  /** Asynchronous: node-postgres talks to the server over a socket from a pool. */
  postgres: (conn: PostgresConnection) => Promise<T>;
}

/** Node's socket errors: the server is down or unreachable right now. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** node-postgres's own messages for a connection that is gone or could not be made in time. */
const PG_CONNECTION_LOST =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed/i;

/**
 * "Try again later", not "broken": SQLITE_BUSY / SQLITE_LOCKED (and their extended codes); on
 * PostgreSQL a serialization failure or deadlock that outlived the transaction's own retries or a lock timeout.
 */
function isBusy(code: string): boolean {
  return /^SQLITE_(BUSY|LOCKED)/.test(code) || isRetryablePgError({ code });
}

/**
 * The storage itself failing, never the data: SQLite out of space (SQLITE_FULL), an I/O error, a
 * file that became read-only or cannot be opened; PostgreSQL unreachable or the connection lost
 * (class 08, admin shutdown 57P01-57P03, socket errors), out of resources (class 53: disk full,
 * out of memory, too many connections) or a system I/O error (class 58).
 */
function isUnavailable(code: string | undefined, message: string): boolean {
  if (code === undefined) return PG_CONNECTION_LOST.test(message);
  return (
    /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN)/.test(code) || /^08|^57P0[123]$|^53|^58/.test(code) || UNREACHABLE.has(code)
  );
}

function classify(error: unknown): 'busy' | 'unavailable' | 'query_failed' {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  if (typeof code === 'string' && isBusy(code)) return 'busy';
  return isUnavailable(typeof code === 'string' ? code : undefined, message) ? 'unavailable' : 'query_failed';
}

function toStorageError(error: unknown, conn: Connection, query: string): StorageError {
  if (error instanceof StorageError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StorageError(classify(error), `${query} failed on ${conn.dialect} storage ${conn.location}: ${message}`, {
    cause: error,
  });
}

/** Runs the connection's dialect of a query; driver failures become a StorageError naming the query. */
export async function runQuery<T>(conn: Connection, query: string, dialects: Dialects<T>): Promise<T> {
  try {
    switch (conn.dialect) {
      case 'sqlite':
        return dialects.sqlite(conn);
      case 'postgres':
        return await dialects.postgres(conn);
    }
  } catch (error) {
    throw toStorageError(error, conn, query);
  }
}
