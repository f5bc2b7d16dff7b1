// A SQLite connection as queries see it: the database plus a per-instance prepared-statement cache.
import type Database from 'better-sqlite3';
import { assertWalWithinBound, type WalBound } from './wal-bound.js';

export interface SqliteConnection {
  readonly dialect: 'sqlite';
  /** The database path, for error messages. */
  readonly location: string;
  readonly db: Database.Database;
  /**
   * The prepared statement for `sql`, prepared on first use and reused after: preparing costs
   * more than running on the hot inbox path. Cached per connection, never per module, so two
   * Storage instances never share statements (or a closed database).
   */
  statement<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R>;
  /** Throws StorageError `busy` when the WAL has reached its bound (wal-bound.ts); call before a bulk write transaction. */
  assertWalRoom(): void;
}

/** `bound` null: no WAL to bound (':memory:'). */
export function createSqliteConnection(db: Database.Database, location: string, bound: WalBound | null = null): SqliteConnection {
  const cache = new Map<string, Database.Statement<unknown[], unknown>>();
  return {
    dialect: 'sqlite',
    location,
    db,
    assertWalRoom: bound === null ? () => {} : () => assertWalWithinBound(location, bound),
    statement<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
      let prepared = cache.get(sql);
      if (prepared === undefined) {
        prepared = db.prepare(sql);
        cache.set(sql, prepared);
      }
      // The cache is keyed by SQL text, and each SQL text is only ever used with one row shape.
      return prepared as unknown as Database.Statement<P, R>;
    },
  };
}
