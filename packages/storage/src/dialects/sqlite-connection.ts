// A SQLite connection as queries see it: the database plus a per-instance prepared-statement cache.
import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';

/** Which file an open database is: device and inode, as stat() gives them. */
export interface FileIdentity {
  dev: number;
  ino: number;
}
import { isStorageBusy } from '../storage-error.js';
import { assertWalWithinBound, type WalBound } from './wal-bound.js';

export interface SqliteConnection {
  readonly dialect: 'sqlite';
  /** The database path, for error messages. */
  readonly location: string;
  readonly db: Database.Database;
  /**
   * The database file's identity when it was opened (null for ':memory:' and temporary databases):
   * the storage probe compares it with the path's, so a file deleted or replaced under a running
   * collector is noticed instead of taking writes into an unlinked inode.
   */
  readonly identity: FileIdentity | null;
  /**
   * The prepared statement for `sql`, prepared on first use and reused after: preparing costs
   * more than running on the hot inbox path. Cached per connection, never per module, so two
   * Storage instances never share statements (or a closed database).
   */
  statement<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R>;
  /** Throws StorageError `busy` when the WAL has reached its bound (wal-bound.ts); call before a bulk write transaction. */
  assertWalRoom(): void;
}

/**
 * False when the WAL has reached its bound (assertWalRoom would refuse). Background writers (the
 * journey refresher, inbox pruning and compaction) then skip their step instead of writing: each
 * of their writes would grow a log that a long reader pins, past the bound ingest keeps.
 */
export function walHasRoom(c: Pick<SqliteConnection, 'assertWalRoom'>): boolean {
  try {
    c.assertWalRoom();
    return true;
  } catch (error) {
    if (isStorageBusy(error)) return false;
    throw error;
  }
}

/** The identity of the file at `path`, or null when there is none (':memory:', '', not found). */
export function fileIdentity(path: string): FileIdentity | null {
  if (path === '' || path === ':memory:') return null;
  try {
    const stat = statSync(path);
    return { dev: stat.dev, ino: stat.ino };
  } catch {
    return null;
  }
}

/** `bound` null: no WAL to bound (':memory:', read-only connections). */
export function createSqliteConnection(
  db: Database.Database,
  location: string,
  bound: WalBound | null = null,
): SqliteConnection {
  const identity = fileIdentity(location);
  const cache = new Map<string, Database.Statement<unknown[], unknown>>();
  return {
    dialect: 'sqlite',
    location,
    db,
    identity,
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
