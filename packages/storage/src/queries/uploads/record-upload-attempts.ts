// recordUploadAttempts: writes what attempts did to claimed deliveries (delivered, retry later, failed), in one transaction.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { UploadAttempt } from '../../upload-definitions.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';

// Only while the claim's lease still holds (next_attempt_at = leasedUntil): if it ran out and another
// collector took the row, that collector's outcome is the one recorded.
const SET = `status = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ?, response_code = ?, updated_at = ?`;
const SQLITE_UPDATE = `UPDATE upload_deliveries SET ${SET}
  WHERE account_key = ${ACCOUNT_KEY_OF} AND destination_id = ? AND conversion_id = ? AND status = 'pending' AND next_attempt_at = ?`;
const PG_UPDATE = `UPDATE upload_deliveries SET status = $1, attempts = attempts + 1, next_attempt_at = $2, last_error = $3, response_code = $4, updated_at = $5
  WHERE account_key = ${pgAccountKeyOf(6)} AND destination_id = $7 AND conversion_id = $8 AND status = 'pending' AND next_attempt_at = $9`;

/** Returns how many rows were updated (a row whose lease was lost is not). */
export function recordUploadAttempts(
  conn: Connection,
  attempts: readonly UploadAttempt[],
  now: number,
): Promise<number> {
  if (attempts.length === 0) return Promise.resolve(0);
  const params = (a: UploadAttempt) => [
    a.status,
    a.nextAttemptAt,
    a.error,
    a.responseCode,
    now,
    a.accountId,
    a.destinationId,
    a.conversionId,
    a.leasedUntil,
  ];
  return runQuery(conn, 'recordUploadAttempts', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          const update = c.statement<unknown[]>(SQLITE_UPDATE);
          return attempts.reduce((n, a) => n + update.run(...params(a)).changes, 0);
        })
        .immediate(),
    postgres: (c) =>
      c.transaction(async (client) => {
        let n = 0;
        for (const a of attempts) n += (await client.query(PG_UPDATE, params(a))).rowCount ?? 0;
        return n;
      }),
  });
}
