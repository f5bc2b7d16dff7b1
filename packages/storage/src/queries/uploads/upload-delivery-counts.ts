// uploadDeliveryCounts: an account's upload deliveries counted per destination and status.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { UploadDeliveryStatus, UploadLogCounts } from '../../upload-definitions.js';

const SQLITE_COUNTS = `SELECT destination_id AS "destinationId", status, COUNT(*) AS count FROM upload_deliveries
  WHERE account_key = (SELECT key FROM accounts WHERE id = ?) GROUP BY destination_id, status ORDER BY destination_id, status`;
const PG_COUNTS = SQLITE_COUNTS.replace('?', '$1');

type CountRow = { destinationId: string; status: UploadDeliveryStatus; count: number | string };

export function uploadDeliveryCounts(conn: Connection, accountId: string): Promise<UploadLogCounts[]> {
  const toCount = (r: CountRow): UploadLogCounts => ({ ...r, count: Number(r.count) });
  return runQuery(conn, 'uploadDeliveryCounts', {
    sqlite: (c) => c.statement<[string], CountRow>(SQLITE_COUNTS).all(accountId).map(toCount),
    postgres: async (c) => (await c.rows<CountRow>(PG_COUNTS, [accountId])).map(toCount),
  });
}
