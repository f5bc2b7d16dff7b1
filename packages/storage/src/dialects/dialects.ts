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
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * "Try again later", not "broken": SQLITE_BUSY / SQLITE_LOCKED (and their extended codes); on
 * PostgreSQL a serialization failure or deadlock that outlived the transaction's own retries, a
 * lock timeout, an admin shutdown or lost connection (class 08, 57P01-57P03), or an unreachable server.
 */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return /Connection terminated/i.test(error instanceof Error ? error.message : '');
  return /^SQLITE_(BUSY|LOCKED)/.test(code) || isRetryablePgError(error) || /^08|^57P0[123]$/.test(code) || UNREACHABLE.has(code);
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
      case 'postgres': return await dialects.postgres(conn);
    }
  } catch (error) {
    throw toStorageError(error, conn, query);
  }
}
