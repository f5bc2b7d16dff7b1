// enqueueUploads: adds deliveries to a destination's log (pending and due now, or skipped with the reason); a conversion already in the log is left as it is.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { UploadEnqueue } from '../../upload-definitions.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';

const COLUMNS =
  'account_key, destination_id, conversion_id, occurred_at, status, attempts, next_attempt_at, payload, last_error, created_at, updated_at';
const SQLITE_INSERT = `INSERT INTO upload_deliveries (${COLUMNS}) VALUES (${ACCOUNT_KEY_OF}, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)
  ON CONFLICT (account_key, destination_id, conversion_id) DO NOTHING`;
const PG_INSERT = `INSERT INTO upload_deliveries (${COLUMNS}) VALUES (${pgAccountKeyOf(1)}, $2, $3, $4, $5, 0, $6, $7, $8, $6, $6)
  ON CONFLICT (account_key, destination_id, conversion_id) DO NOTHING`;

/** A skipped conversion is logged with its reason, so it is not looked at again and the log says why nothing went. */
const columns = (r: UploadEnqueue): [string, string, number, string, string, string | null] =>
  r.status === 'pending'
    ? [r.destinationId, r.conversionId, r.occurredAt, r.status, r.payload, null]
    : [r.destinationId, r.conversionId, r.occurredAt, r.status, '{}', r.reason];

/**
 * DO NOTHING is what makes the payload stable: two collectors racing to queue the same conversion
 * keep the first payload, and every retry sends that one (same order_id / event_id).
 * Returns how many were new.
 */
export function enqueueUploads(
  conn: Connection,
  accountId: string,
  rows: readonly UploadEnqueue[],
  now: number,
): Promise<number> {
  if (rows.length === 0) return Promise.resolve(0);
  return runQuery(conn, 'enqueueUploads', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          const insert = c.statement<unknown[]>(SQLITE_INSERT);
          let added = 0;
          for (const r of rows) {
            const [destination, conversion, occurredAt, status, payload, reason] = columns(r);
            added += insert.run(
              accountId,
              destination,
              conversion,
              occurredAt,
              status,
              now,
              payload,
              reason,
              now,
              now,
            ).changes;
          }
          return added;
        })
        .immediate(),
    postgres: (c) =>
      c.transaction(async (client) => {
        let added = 0;
        for (const r of rows) {
          const [destination, conversion, occurredAt, status, payload, reason] = columns(r);
          added +=
            (
              await client.query(PG_INSERT, [
                accountId,
                destination,
                conversion,
                occurredAt,
                status,
                now,
                payload,
                reason,
              ])
            ).rowCount ?? 0;
        }
        return added;
      }),
  });
}
