// listAccounts: every account, by name.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { Account } from '../../storage.js';
import { ACCOUNT_COLUMNS, toAccount, type AccountRow } from './account-row.js';

const SQLITE_LIST = `SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY name`;

export function listAccounts(conn: Connection): Promise<Account[]> {
  return runQuery(conn, 'listAccounts', {
    sqlite: (c) => c.statement<[], AccountRow>(SQLITE_LIST).all().map(toAccount),
    // Same text: nothing dialect-specific in it.
    postgres: async (c) => (await c.rows<AccountRow>(SQLITE_LIST)).map(toAccount),
  });
}
