// uploadConversions: an account's conversions of some types in a window, oldest first, optionally only those a destination has not queued yet.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { UploadConversion, UploadConversionWindow } from '../../upload-definitions.js';

const COLUMNS =
  'c.id, c.name, c.visitor_id AS "visitorId", c.session_id AS "sessionId", c.occurred_at AS "timestamp", c.revenue, c.currency, c.properties';
const SQLITE_BASE = `SELECT ${COLUMNS} FROM conversions c
  WHERE c.account_key = (SELECT key FROM accounts WHERE id = @account)
    AND c.occurred_at >= @from AND c.occurred_at < @to
    AND c.name IN (SELECT value FROM json_each(@types))`;
const SQLITE_NOT_QUEUED = `AND NOT EXISTS (SELECT 1 FROM upload_deliveries u
    WHERE u.account_key = c.account_key AND u.destination_id = @destination AND u.conversion_id = c.id)`;
const SQLITE_TAIL = 'ORDER BY c.occurred_at, c.id LIMIT @limit';
const PG_BASE = `SELECT ${COLUMNS} FROM conversions c
  WHERE c.account_key = (SELECT key FROM accounts WHERE id = $1)
    AND c.occurred_at >= $2 AND c.occurred_at < $3 AND c.name = ANY($4::text[])`;
const PG_NOT_QUEUED = `AND NOT EXISTS (SELECT 1 FROM upload_deliveries u
    WHERE u.account_key = c.account_key AND u.destination_id = $6 AND u.conversion_id = c.id)`;
const PG_TAIL = 'ORDER BY c.occurred_at, c.id LIMIT $5';

type Row = Omit<UploadConversion, 'timestamp' | 'revenue'> & {
  timestamp: number | string;
  revenue: number | string | null;
};
const toConversion = (r: Row): UploadConversion => ({
  ...r,
  timestamp: Number(r.timestamp),
  revenue: r.revenue === null ? null : Number(r.revenue),
});

export function uploadConversions(
  conn: Connection,
  accountId: string,
  w: UploadConversionWindow,
): Promise<UploadConversion[]> {
  const limit = Math.max(0, Math.floor(w.limit));
  const queued = w.unqueuedFor !== undefined;
  return runQuery(conn, 'uploadConversions', {
    sqlite: (c) =>
      c
        .statement<[Record<string, unknown>], Row>(`${SQLITE_BASE} ${queued ? SQLITE_NOT_QUEUED : ''} ${SQLITE_TAIL}`)
        .all({
          account: accountId,
          from: w.from,
          to: w.to,
          types: JSON.stringify(w.types),
          limit,
          ...(queued ? { destination: w.unqueuedFor } : {}),
        })
        .map(toConversion),
    postgres: async (c) =>
      (
        await c.rows<Row>(`${PG_BASE} ${queued ? PG_NOT_QUEUED : ''} ${PG_TAIL}`, [
          accountId,
          w.from,
          w.to,
          [...w.types],
          limit,
          ...(queued ? [w.unqueuedFor] : []),
        ])
      ).map(toConversion),
  });
}
