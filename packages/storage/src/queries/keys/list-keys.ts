// listKeys: one account's keys, or every account's (null) for the operator CLI; revoked ones included.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { ApiKeyRecord } from '../../storage.js';
import { KEY_COLUMNS, toKey, type KeyRow } from './key-row.js';

const SQLITE_LIST_ACCOUNT = `SELECT ${KEY_COLUMNS} FROM api_keys WHERE account_id = ? ORDER BY created_at, id`;
const PG_LIST_ACCOUNT = `SELECT ${KEY_COLUMNS} FROM api_keys WHERE account_id = $1 ORDER BY created_at, id`;
const SQLITE_LIST_ALL = `SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY account_id, created_at, id`;

export function listKeys(conn: Connection, accountId: string | null): Promise<ApiKeyRecord[]> {
  return runQuery(conn, 'listKeys', {
    sqlite: (c) =>
      (accountId === null
        ? c.statement<[], KeyRow>(SQLITE_LIST_ALL).all()
        : c.statement<[string], KeyRow>(SQLITE_LIST_ACCOUNT).all(accountId)
      ).map(toKey),
    postgres: async (c) =>
      (accountId === null
        ? await c.rows<KeyRow>(SQLITE_LIST_ALL)
        : await c.rows<KeyRow>(PG_LIST_ACCOUNT, [accountId])
      ).map(toKey),
  });
}
