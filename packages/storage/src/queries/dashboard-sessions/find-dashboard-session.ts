// findDashboardSession: the live session a token hash names with its user's current role and accounts, or null (unknown, expired, signed out, or its user removed).
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { parseAccountIds } from '../dashboard-users/dashboard-user-row.js';
import type { DashboardSessionFound } from './dashboard-session-row.js';

// A session of a removed user finds no user row and so is no session (removal also deletes it).
const SQLITE_FIND = `SELECT s.token_hash AS tokenHash, s.csrf_token AS csrfToken, s.created_at AS createdAt, s.expires_at AS expiresAt,
    s.user_id AS userId, u.login AS login, u.role AS role, u.account_ids AS accountIds
  FROM dashboard_sessions s LEFT JOIN dashboard_users u ON u.id = s.user_id
  WHERE s.token_hash = ? AND s.expires_at > ? AND (s.user_id IS NULL OR u.id IS NOT NULL)`;
const PG_FIND = `SELECT s.token_hash AS "tokenHash", s.csrf_token AS "csrfToken", s.created_at::float8 AS "createdAt", s.expires_at::float8 AS "expiresAt",
    s.user_id AS "userId", u.login AS login, u.role AS role, u.account_ids AS "accountIds"
  FROM dashboard_sessions s LEFT JOIN dashboard_users u ON u.id = s.user_id
  WHERE s.token_hash = $1 AND s.expires_at > $2 AND (s.user_id IS NULL OR u.id IS NOT NULL)`;

interface Row {
  tokenHash: string;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
  userId: string | null;
  login: string | null;
  role: string | null;
  accountIds: string | null;
}

function toFound(row: Row | undefined): DashboardSessionFound | null {
  if (row === undefined) return null;
  const { tokenHash, csrfToken, createdAt, expiresAt, userId, login } = row;
  // The built-in admin (no user row) is an admin of everything.
  const role = userId === null || row.role === 'admin' ? 'admin' : 'viewer';
  return {
    tokenHash,
    csrfToken,
    createdAt,
    expiresAt,
    userId,
    login,
    role,
    accountIds: row.accountIds === null ? [] : parseAccountIds(row.accountIds),
  };
}

export function findDashboardSession(
  conn: Connection,
  tokenHash: string,
  now: number,
): Promise<DashboardSessionFound | null> {
  return runQuery(conn, 'findDashboardSession', {
    sqlite: (c) => toFound(c.statement<[string, number], Row>(SQLITE_FIND).get(tokenHash, now)),
    postgres: async (c) => toFound((await c.rows<Row>(PG_FIND, [tokenHash, now]))[0]),
  });
}
