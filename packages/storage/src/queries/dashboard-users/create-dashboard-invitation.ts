// createDashboardInvitation: stores a one-time invitation (by its token's hash) for a login, a role and accounts.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { NewDashboardInvitation } from './dashboard-user-row.js';

const SQLITE_INSERT = `INSERT INTO dashboard_invitations (id, token_hash, login, role, account_ids, created_at, expires_at)
  VALUES (?, ?, ?, ?, ?, ?, ?)`;
const PG_INSERT = `INSERT INTO dashboard_invitations (id, token_hash, login, role, account_ids, created_at, expires_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7)`;

export function createDashboardInvitation(conn: Connection, invitation: NewDashboardInvitation): Promise<void> {
  const { id, tokenHash, login, role, accountIds, createdAt, expiresAt } = invitation;
  const params: [string, string, string | null, string, string, number, number] = [
    id,
    tokenHash,
    login,
    role,
    JSON.stringify(accountIds),
    createdAt,
    expiresAt,
  ];
  return runQuery(conn, 'createDashboardInvitation', {
    sqlite: (c) => {
      c.statement<typeof params>(SQLITE_INSERT).run(...params);
    },
    postgres: async (c) => {
      await c.pool.query(PG_INSERT, [...params]);
    },
  });
}
