// claimInbox: leases the oldest pending rows whose lease is free, across all accounts, for one worker pass.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { InboxRow } from '../../storage.js';

interface LeasedRow {
  seq: number;
  attempts: number;
}
interface ItemRow {
  seq: number;
  account_id: string;
  item_id: string;
  type: string;
  payload: string;
  received_at: number;
}
type ClaimedRow = ItemRow & { attempts: number };

// Pick and lease in one statement, so no other claimer can take the same rows in between.
// A lease is free once it is strictly in the past. Only the narrow inbox_pending row changes:
// the payload row in inbox is read, never rewritten.
const SQLITE_LEASE = `UPDATE inbox_pending SET leased_until = ?, attempts = attempts + 1
  WHERE seq IN (
    SELECT seq FROM inbox_pending
    WHERE leased_until IS NULL OR leased_until < ?
    ORDER BY seq LIMIT ?)
  RETURNING seq, attempts`;
// PostgreSQL: pick, lease and read in one statement. FOR UPDATE SKIP LOCKED lets several
// collectors claim at once without waiting on (or double-claiming) each other's rows; the lease
// (leased_until) is what gives a killed worker's rows out again once it has expired. received_at
// takes each inbox lookup straight to its partition.
const PG_CLAIM = `WITH picked AS (
    SELECT seq FROM inbox_pending
    WHERE leased_until IS NULL OR leased_until < $2
    ORDER BY seq LIMIT $3
    FOR UPDATE SKIP LOCKED),
  leased AS (
    UPDATE inbox_pending AS p SET leased_until = $1, attempts = p.attempts + 1
    FROM picked WHERE p.seq = picked.seq
    RETURNING p.seq, p.received_at, p.attempts)
  SELECT l.seq, a.id AS account_id, i.item_id, i.type, i.payload, i.received_at, l.attempts
  FROM leased AS l
  JOIN inbox AS i ON i.seq = l.seq AND i.received_at = l.received_at
  JOIN accounts AS a ON a.key = i.account_key
  ORDER BY l.seq`;
// The leased rows' items, in arrival order (workers rely on it); seqs come as one JSON array.
const SQLITE_ITEMS = `SELECT i.seq, a.id AS account_id, i.item_id, i.type, i.payload, i.received_at
  FROM inbox AS i JOIN accounts AS a ON a.key = i.account_key
  WHERE i.seq IN (SELECT value FROM json_each(?)) ORDER BY i.seq`;

export interface ClaimOptions {
  limit: number;
  leaseMs: number;
  now: number;
}

function sqliteClaim(c: SqliteConnection, leaseMs: number, now: number, limit: number): InboxRow[] {
  const leased = c.statement<[number, number, number], LeasedRow>(SQLITE_LEASE).all(now + leaseMs, now, limit);
  if (leased.length === 0) return [];
  const attempts = new Map(leased.map((r) => [r.seq, r.attempts]));
  const items = c.statement<[string], ItemRow>(SQLITE_ITEMS).all(JSON.stringify(leased.map((r) => r.seq)));
  return items.map((r) => ({
    seq: r.seq,
    accountId: r.account_id,
    itemId: r.item_id,
    type: r.type,
    payload: r.payload,
    receivedAt: r.received_at,
    attempts: attempts.get(r.seq) ?? 1,
  }));
}

export function claimInbox(conn: Connection, options: ClaimOptions): Promise<InboxRow[]> {
  const { leaseMs, now } = options;
  // SQLite reads a negative LIMIT as "no limit": never let a bad limit claim the whole inbox.
  const limit = Math.max(0, Math.floor(options.limit));
  return runQuery(conn, 'claimInbox', {
    // BEGIN IMMEDIATE takes the write lock up front, so a claimer in another process waits on
    // busy_timeout instead of failing on a read-to-write lock upgrade.
    sqlite: (c) => {
      c.assertWalRoom();
      return c.db.transaction(() => sqliteClaim(c, leaseMs, now, limit)).immediate();
    },
    postgres: async (c) => {
      if (limit === 0) return [];
      const rows = await c.rows<ClaimedRow>(PG_CLAIM, [now + leaseMs, now, limit]);
      return rows.map((r) => ({
        seq: r.seq,
        accountId: r.account_id,
        itemId: r.item_id,
        type: r.type,
        payload: r.payload,
        receivedAt: r.received_at,
        attempts: r.attempts,
      }));
    },
  });
}
