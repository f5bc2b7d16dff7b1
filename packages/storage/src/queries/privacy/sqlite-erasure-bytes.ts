// On SQLite, an erasure's bytes: secure_delete while it runs, and a TRUNCATE checkpoint that empties the WAL after it (docs/privacy.md).
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';

/**
 * SQLite keeps deleted bytes in free page space and in the WAL until they are overwritten: the erasure
 * runs with secure_delete on (deleted content is zeroed) and ends with a TRUNCATE checkpoint, which
 * copies the zeroed pages home and empties the WAL (docs/privacy.md has the measurement).
 */
export function withSecureDelete<T>(c: SqliteConnection, fn: () => T): T {
  const before = c.db.pragma('secure_delete', { simple: true }) as number;
  c.db.pragma('secure_delete = ON');
  try {
    return fn();
  } finally {
    c.db.pragma(`secure_delete = ${before === 1 ? 'ON' : before === 2 ? 'FAST' : 'OFF'}`);
  }
}

/** TRUNCATE attempts, and the pause between them: the background checkpointer's PASSIVE tick (every 100 ms) takes milliseconds. */
const TRUNCATE_ATTEMPTS = 20;
const TRUNCATE_PAUSE_MS = 25;

/**
 * A TRUNCATE checkpoint on the erasure's connection; false when it stayed busy. It is busy when a reader
 * still needs old frames (after the busy timeout), and also, at once, while the background
 * checkpointer (sqlite-checkpointer.ts) runs its own checkpoint: that one is short, so the
 * checkpoint is tried again after a pause, up to about half a second in all.
 */
export async function truncateWal(
  c: SqliteConnection,
  each: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn(),
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    // One attempt at a time through `each`: a TRUNCATE checkpoint also keeps writers out while it runs.
    const [row] = await each(async () => c.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>);
    if (row?.busy === 0) return true;
    if (attempt === TRUNCATE_ATTEMPTS) return false;
    await new Promise((resolve) => setTimeout(resolve, TRUNCATE_PAUSE_MS));
  }
}
