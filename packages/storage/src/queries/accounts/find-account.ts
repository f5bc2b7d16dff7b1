// findAccount: the account with this name, or null.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { Account } from '../../storage.js';
import { ACCOUNT_COLUMNS, toAccount, type AccountRow } from './account-row.js';

const SQLITE_FIND = `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE name = ?`;
const PG_FIND = `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE name = $1`;

export function findAccount(conn: Connection, name: string): Promise<Account | null> {
  return runQuery(conn, 'findAccount', {
    sqlite: (c) => {
      const row = c.statement<[string], AccountRow>(SQLITE_FIND).get(name);
      return row === undefined ? null : toAccount(row);
    },
    postgres: async (c) => {
      const [row] = await c.rows<AccountRow>(PG_FIND, [name]);
      return row === undefined ? null : toAccount(row);
    },
  });
}
