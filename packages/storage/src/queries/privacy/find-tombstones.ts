// findTombstones: which of the given subject digests an erasure still forbids (the worker drops their items).
import { runQuery, type Connection } from '../../dialects/dialects.js';

export const SQLITE_FIND_LIVE = `SELECT t.digest FROM erasure_tombstones t
  WHERE t.account_key = (SELECT key FROM accounts WHERE id = ?) AND t.digest IN (SELECT value FROM json_each(?)) AND t.expires_at > ?`;
export const PG_FIND_LIVE = `SELECT t.digest FROM erasure_tombstones t
  WHERE t.account_key = (SELECT key FROM accounts WHERE id = $1) AND t.digest = ANY($2::text[]) AND t.expires_at > $3`;
// Nearly always there is no live tombstone at all: one probe of the expiry index answers that.
export const SQLITE_ANY_LIVE = 'SELECT 1 AS found FROM erasure_tombstones WHERE expires_at > ? LIMIT 1';
export const PG_ANY_LIVE = 'SELECT 1 AS found FROM erasure_tombstones WHERE expires_at > $1 LIMIT 1';

/**
 * The digests (tombstone-digest.ts) among `byAccount`'s, per account id, that have a live tombstone; null
 * when no live tombstone exists at all, which a null `byAccount` asks alone (the worker asks that
 * first, so a pass pays for digests only while some erasure is recent).
 */
export function findTombstones(
  conn: Connection,
  byAccount: ReadonlyMap<string, readonly string[]> | null,
  now: number,
): Promise<Set<string> | null> {
  return runQuery(conn, 'findTombstones', {
    sqlite: (c) => {
      if (c.statement<[number]>(SQLITE_ANY_LIVE).get(now) === undefined) return null;
      const found = new Set<string>();
      if (byAccount === null) return found;
      const find = c.statement<[string, string, number], { digest: string }>(SQLITE_FIND_LIVE);
      for (const [accountId, digests] of byAccount)
        for (const r of find.all(accountId, JSON.stringify(digests), now)) found.add(r.digest);
      return found;
    },
    postgres: async (c) => {
      if ((await c.pool.query(PG_ANY_LIVE, [now])).rows.length === 0) return null;
      const found = new Set<string>();
      if (byAccount === null) return found;
      for (const [accountId, digests] of byAccount) {
        for (const r of (await c.pool.query<{ digest: string }>(PG_FIND_LIVE, [accountId, digests, now])).rows)
          found.add(r.digest);
      }
      return found;
    },
  });
}
