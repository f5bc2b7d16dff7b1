// uploadDeliveries: an account's delivery log, newest change first (filtered by destination and status).
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { UploadDelivery, UploadLogQuery } from '../../upload-definitions.js';

const COLUMNS = `u.destination_id AS "destinationId", u.conversion_id AS "conversionId", u.occurred_at AS "occurredAt", u.status, u.attempts,
  u.next_attempt_at AS "nextAttemptAt", u.last_error AS "lastError", u.response_code AS "responseCode", u.payload,
  u.created_at AS "createdAt", u.updated_at AS "updatedAt"`;
// Optional filters as "NULL matches all", so one statement serves every combination.
const SQLITE_LOG = `SELECT ${COLUMNS} FROM upload_deliveries u
  WHERE u.account_key = (SELECT key FROM accounts WHERE id = @account)
    AND (@destination IS NULL OR u.destination_id = @destination) AND (@status IS NULL OR u.status = @status)
  ORDER BY u.updated_at DESC, u.conversion_id DESC LIMIT @limit`;
const PG_LOG = `SELECT ${COLUMNS} FROM upload_deliveries u
  WHERE u.account_key = (SELECT key FROM accounts WHERE id = $1)
    AND ($2::text IS NULL OR u.destination_id = $2) AND ($3::text IS NULL OR u.status = $3)
  ORDER BY u.updated_at DESC, u.conversion_id DESC LIMIT $4`;

type Row = {
  [K in keyof UploadDelivery]: UploadDelivery[K] extends number
    ? number | string
    : UploadDelivery[K] extends number | null
      ? number | string | null
      : UploadDelivery[K];
};
const toDelivery = (r: Row): UploadDelivery => ({
  ...r,
  occurredAt: Number(r.occurredAt),
  attempts: Number(r.attempts),
  nextAttemptAt: Number(r.nextAttemptAt),
  responseCode: r.responseCode === null ? null : Number(r.responseCode),
  createdAt: Number(r.createdAt),
  updatedAt: Number(r.updatedAt),
});

export function uploadDeliveries(conn: Connection, accountId: string, q: UploadLogQuery): Promise<UploadDelivery[]> {
  const limit = Math.max(0, Math.floor(q.limit));
  return runQuery(conn, 'uploadDeliveries', {
    sqlite: (c) =>
      c
        .statement<[Record<string, unknown>], Row>(SQLITE_LOG)
        .all({ account: accountId, destination: q.destinationId ?? null, status: q.status ?? null, limit })
        .map(toDelivery),
    postgres: async (c) =>
      (await c.rows<Row>(PG_LOG, [accountId, q.destinationId ?? null, q.status ?? null, limit])).map(toDelivery),
  });
}
