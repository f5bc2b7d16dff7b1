// ensureTestAccount: the internal account that holds an account's test-mode data (what `tl_test_` keys read and write).
import { createHash } from 'node:crypto';
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { Account } from '../../storage.js';
import { ACCOUNT_COLUMNS, toAccount, type AccountRow } from './account-row.js';

/** The test-mode account's name: the live account's plus this, so the dashboard's switcher shows both side by side. */
export const TEST_ACCOUNT_SUFFIX = ' (test mode)';

/**
 * The test-mode account's id, derived from the live account's id (a UUID-shaped SHA-256, version 8):
 * every collector computes the same one, and no query needs a mode column, because test data is simply
 * another tenant, isolated by the same account_key as any two accounts.
 */
export function testAccountIdOf(liveAccountId: string): string {
  const hex = createHash('sha256').update(`touchline test mode\0${liveAccountId}`).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// Copies the live account's name. Any conflict (the row exists; or, refused by `keys create`, a live
// account already has that name) inserts nothing, and the read that follows tells which.
const SQLITE_INSERT = `INSERT INTO accounts (id, name, created_at) SELECT ?, name || ?, ? FROM accounts WHERE id = ?
  ON CONFLICT DO NOTHING`;
const SQLITE_READ = `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ?`;
const PG_INSERT = `INSERT INTO accounts (id, name, created_at) SELECT $1, name || $2, $3 FROM accounts WHERE id = $4
  ON CONFLICT DO NOTHING`;
const PG_READ = `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`;

/** The test-mode account of `liveAccountId`, created on first call; null if there is no such live account (or its name is taken). */
export function ensureTestAccount(conn: Connection, liveAccountId: string, now: number): Promise<Account | null> {
  const id = testAccountIdOf(liveAccountId);
  return runQuery(conn, 'ensureTestAccount', {
    sqlite: (c) => {
      c.statement<[string, string, number, string]>(SQLITE_INSERT).run(id, TEST_ACCOUNT_SUFFIX, now, liveAccountId);
      const row = c.statement<[string], AccountRow>(SQLITE_READ).get(id);
      return row === undefined ? null : toAccount(row);
    },
    postgres: async (c) => {
      await c.rows(PG_INSERT, [id, TEST_ACCOUNT_SUFFIX, now, liveAccountId]);
      const [row] = await c.rows<AccountRow>(PG_READ, [id]);
      return row === undefined ? null : toAccount(row);
    },
  });
}
