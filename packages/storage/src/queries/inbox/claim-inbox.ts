// claimInbox: leases the oldest pending rows whose lease is free, across all accounts, for one worker pass.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { InboxRow } from '../../storage.js';

interface ClaimedRow {
  seq: number; account_id: string; item_id: string; type: string; payload: string; received_at: number; attempts: number;
}

// Pick and lease in one statement, so no other claimer can take the same rows in between.
// A lease is free once it is strictly in the past.
const SQLITE_CLAIM = `UPDATE inbox SET leased_until = ?, attempts = attempts + 1
  WHERE seq IN (
    SELECT seq FROM inbox
    WHERE status = 'pending' AND (leased_until IS NULL OR leased_until < ?)
    ORDER BY seq LIMIT ?)
  RETURNING seq, account_id, item_id, type, payload, received_at, attempts`;

export interface ClaimOptions { limit: number; leaseMs: number; now: number }

export function claimInbox(conn: Connection, options: ClaimOptions): Promise<InboxRow[]> {
  const { leaseMs, now } = options;
  // SQLite reads a negative LIMIT as "no limit": never let a bad limit claim the whole inbox.
  const limit = Math.max(0, Math.floor(options.limit));
  return runQuery(conn, 'claimInbox', {
    sqlite: (c) => {
      const claim = c.statement<[number, number, number], ClaimedRow>(SQLITE_CLAIM);
      // BEGIN IMMEDIATE takes the write lock up front, so a claimer in another process waits on
      // busy_timeout instead of failing on a read-to-write lock upgrade.
      const rows = c.db.transaction(() => claim.all(now + leaseMs, now, limit)).immediate();
      // RETURNING gives no order guarantee; workers rely on arrival order.
      rows.sort((a, b) => a.seq - b.seq);
      return rows.map((r) => ({
        seq: r.seq, accountId: r.account_id, itemId: r.item_id, type: r.type, payload: r.payload,
        receivedAt: r.received_at, attempts: r.attempts,
      }));
    },
  });
}
