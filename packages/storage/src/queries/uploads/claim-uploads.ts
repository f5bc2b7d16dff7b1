// claimUploads: leases the pending deliveries that are due, of enabled destinations only, across accounts, for one delivery pass.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { ClaimedUpload } from '../../upload-definitions.js';

// A lease moves next_attempt_at past the lease: a collector killed mid-send gives the row out again
// when it ends, and another collector meanwhile skips it. attempts counts only finished attempts.
const SQLITE_CLAIM = `UPDATE upload_deliveries SET next_attempt_at = @until
  WHERE rowid IN (
    SELECT u.rowid FROM upload_deliveries u
    JOIN upload_destinations d ON d.account_key = u.account_key AND d.id = u.destination_id AND d.enabled = 1
    WHERE u.status = 'pending' AND u.next_attempt_at <= @now
    ORDER BY u.next_attempt_at, u.conversion_id LIMIT @limit)
  RETURNING (SELECT id FROM accounts WHERE key = account_key) AS accountId, destination_id AS destinationId,
    conversion_id AS conversionId, attempts, payload`;
const PG_CLAIM = `WITH picked AS (
    SELECT u.account_key, u.destination_id, u.conversion_id FROM upload_deliveries u
    JOIN upload_destinations d ON d.account_key = u.account_key AND d.id = u.destination_id AND d.enabled
    WHERE u.status = 'pending' AND u.next_attempt_at <= $2
    ORDER BY u.next_attempt_at, u.conversion_id LIMIT $3
    FOR UPDATE OF u SKIP LOCKED)
  UPDATE upload_deliveries AS u SET next_attempt_at = $1
  FROM picked WHERE u.account_key = picked.account_key AND u.destination_id = picked.destination_id AND u.conversion_id = picked.conversion_id
  RETURNING (SELECT id FROM accounts WHERE key = u.account_key) AS "accountId", u.destination_id AS "destinationId",
    u.conversion_id AS "conversionId", u.attempts, u.payload`;

type Row = Omit<ClaimedUpload, 'leasedUntil'>;

export function claimUploads(
  conn: Connection,
  options: { now: number; leaseMs: number; limit: number },
): Promise<ClaimedUpload[]> {
  const limit = Math.max(0, Math.floor(options.limit));
  const leasedUntil = options.now + options.leaseMs;
  const claimed = (rows: Row[]): ClaimedUpload[] =>
    rows.map((r) => ({ ...r, attempts: Number(r.attempts), leasedUntil }));
  return runQuery(conn, 'claimUploads', {
    sqlite: (c) =>
      limit === 0
        ? []
        : claimed(
            c.db
              .transaction(() =>
                c
                  .statement<[Record<string, number>], Row>(SQLITE_CLAIM)
                  .all({ until: leasedUntil, now: options.now, limit }),
              )
              .immediate(),
          ),
    postgres: async (c) => (limit === 0 ? [] : claimed(await c.rows<Row>(PG_CLAIM, [leasedUntil, options.now, limit]))),
  });
}
