// releaseInbox: gives claimed rows back after a storage fault, without counting the failed attempt.
import { runQuery, type Connection } from '../../dialects/dialects.js';

// Only rows still under this claim's lease: once it expired another worker may hold them.
const SQLITE_RELEASE = `UPDATE inbox_pending SET leased_until = NULL, attempts = max(attempts - 1, 0)
  WHERE leased_until = ? AND seq IN (SELECT value FROM json_each(?))`;
const PG_RELEASE = `UPDATE inbox_pending SET leased_until = NULL, attempts = greatest(attempts - 1, 0)
  WHERE leased_until = $1 AND seq = ANY($2::bigint[])`;

export interface ReleaseOptions {
  seqs: readonly number[];
  leasedUntil: number;
}

/**
 * Why: a pass that failed because the disk was full or the connection dropped says nothing about its
 * rows, so that attempt must not bring them closer to `maxAttempts` and a dead letter. Best effort:
 * when storage is still failing this fails too, and the lease simply runs out.
 */
export function releaseInbox(conn: Connection, options: ReleaseOptions): Promise<void> {
  const seqs = [...options.seqs];
  return runQuery(conn, 'releaseInbox', {
    sqlite: (c) => {
      c.statement(SQLITE_RELEASE).run(options.leasedUntil, JSON.stringify(seqs));
    },
    postgres: async (c) => {
      await c.rows(PG_RELEASE, [options.leasedUntil, seqs]);
    },
  });
}
