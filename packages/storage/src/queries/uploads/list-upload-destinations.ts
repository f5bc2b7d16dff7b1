// listUploadDestinations: one account's destinations, or every account's (accountId null, for the delivery loop), oldest first.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { AccountUploadDestination } from '../../upload-definitions.js';
import { DESTINATION_COLUMNS, toDestination, type DestinationRow } from './save-upload-destination.js';

const SELECT = `SELECT a.id AS account_id, ${DESTINATION_COLUMNS.split(', ')
  .map((c) => `d.${c}`)
  .join(', ')}
  FROM upload_destinations d JOIN accounts a ON a.key = d.account_key`;
const SQLITE_ONE = `${SELECT} WHERE a.id = ? ORDER BY d.created_at, d.id`;
const SQLITE_ALL = `${SELECT} ORDER BY d.account_key, d.created_at, d.id`;
const PG_ONE = `${SELECT} WHERE a.id = $1 ORDER BY d.created_at, d.id`;
const PG_ALL = SQLITE_ALL;

type Row = DestinationRow & { account_id: string };
const toAccountDestination = (r: Row): AccountUploadDestination => ({ accountId: r.account_id, ...toDestination(r) });

export function listUploadDestinations(
  conn: Connection,
  accountId: string | null,
): Promise<AccountUploadDestination[]> {
  return runQuery(conn, 'listUploadDestinations', {
    sqlite: (c) =>
      (accountId === null
        ? c.statement<[], Row>(SQLITE_ALL).all()
        : c.statement<[string], Row>(SQLITE_ONE).all(accountId)
      ).map(toAccountDestination),
    postgres: async (c) =>
      (accountId === null ? await c.rows<Row>(PG_ALL) : await c.rows<Row>(PG_ONE, [accountId])).map(
        toAccountDestination,
      ),
  });
}
