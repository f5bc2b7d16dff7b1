// ensureAccount: the account with this name, created on first call; racing callers get the same one.
import { newId } from '@touchline/core';
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { Account } from '../../storage.js';
import { ACCOUNT_COLUMNS, toAccount, type AccountRow } from './account-row.js';

// One statement, so two processes creating the same name cannot both insert: the unique name
// decides, and the no-op update makes RETURNING give back the row that already exists.
const SQLITE_ENSURE = `INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?)
  ON CONFLICT (name) DO UPDATE SET name = excluded.name
  RETURNING ${ACCOUNT_COLUMNS}`;
const PG_ENSURE = `INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3)
  ON CONFLICT (name) DO UPDATE SET name = excluded.name
  RETURNING ${ACCOUNT_COLUMNS}`;

export function ensureAccount(conn: Connection, name: string, now: number): Promise<Account> {
  return runQuery(conn, 'ensureAccount', {
    sqlite: (c) =>
      toAccount(
        c.statement<[string, string, number], AccountRow>(SQLITE_ENSURE).get(newId(now), name, now) as AccountRow,
      ),
    postgres: async (c) => toAccount((await c.rows<AccountRow>(PG_ENSURE, [newId(now), name, now]))[0] as AccountRow),
  });
}
