// probe: can this storage take writes right now? Throws an `unavailable` StorageError saying why not.
import { statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import { StorageError } from '../../storage-error.js';

/** Below this much free space on the database's filesystem, SQLite storage reports itself full. */
export const MIN_FREE_BYTES = 1024 * 1024;

function unavailable(message: string): StorageError {
  return new StorageError('unavailable', message);
}

/** The open file must still be the one at the path: a deleted or replaced file takes writes nobody will ever read. */
function checkIdentity(c: SqliteConnection): void {
  if (c.identity === null) return;
  let now: { dev: number; ino: number };
  try {
    now = statSync(c.location);
  } catch {
    throw unavailable(
      `sqlite database file ${c.location} was deleted while open: writes would go to an unlinked file; restore the file and restart the collector`,
    );
  }
  if (now.dev !== c.identity.dev || now.ino !== c.identity.ino) {
    throw unavailable(
      `sqlite database file ${c.location} was replaced while open: writes would go to the old, unlinked file; restart the collector`,
    );
  }
}

/** Room for the next writes: within max_page_count (or free pages to reuse), and free space on the filesystem. */
function checkRoom(c: SqliteConnection): void {
  const pragma = (name: string): number => Number(c.db.pragma(name, { simple: true }));
  if (pragma('page_count') >= pragma('max_page_count') && pragma('freelist_count') === 0) {
    throw unavailable(`sqlite database ${c.location} is full: it reached max_page_count`);
  }
  if (c.identity === null) return;
  const fs = statfsSync(dirname(c.location));
  const free = fs.bavail * fs.bsize;
  if (free < MIN_FREE_BYTES) {
    throw unavailable(
      `disk full: ${free} bytes free on the filesystem of ${c.location} (at least ${MIN_FREE_BYTES} needed)`,
    );
  }
}

/**
 * Cheap enough to run every few seconds. SQLite: the file is still the one opened, there is room to
 * write, and a query runs. PostgreSQL: a round trip to the server on a pooled connection.
 */
export function probe(conn: Connection): Promise<void> {
  return runQuery(conn, 'probe', {
    sqlite: (c) => {
      checkIdentity(c);
      checkRoom(c);
      c.statement('SELECT 1').get();
    },
    postgres: async (c) => {
      await c.rows('SELECT 1');
    },
  });
}
