// deleteUploadDestination: removes a destination and, with it, its delivery log (nothing more is sent to it).
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { UploadDestinationDelete } from '../../upload-definitions.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';

const SQLITE_LOG = `DELETE FROM upload_deliveries WHERE account_key = ${ACCOUNT_KEY_OF} AND destination_id = ?`;
const SQLITE_DELETE = `DELETE FROM upload_destinations WHERE account_key = ${ACCOUNT_KEY_OF} AND id = ?`;
const PG_DELETE = `DELETE FROM upload_destinations WHERE account_key = ${pgAccountKeyOf(1)} AND id = $2`;

const outcome = (deleted: number): UploadDestinationDelete =>
  deleted > 0 ? { kind: 'deleted' } : { kind: 'not_found' };

/** On PostgreSQL the foreign key's ON DELETE CASCADE takes the log; SQLite deletes it explicitly (foreign keys may be off). */
export function deleteUploadDestination(
  conn: Connection,
  accountId: string,
  id: string,
): Promise<UploadDestinationDelete> {
  return runQuery(conn, 'deleteUploadDestination', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          c.statement<[string, string]>(SQLITE_LOG).run(accountId, id);
          return outcome(c.statement<[string, string]>(SQLITE_DELETE).run(accountId, id).changes);
        })
        .immediate(),
    postgres: async (c) =>
      outcome(
        (
          (await c.rows(`WITH d AS (${PG_DELETE} RETURNING 1) SELECT count(*)::int AS n FROM d`, [
            accountId,
            id,
          ])) as Array<{ n: number }>
        )[0]?.n ?? 0,
      ),
  });
}
