// findDashboardSession: the live session a token hash names, or null (unknown, expired or signed out).
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { DashboardSessionRow } from './dashboard-session-row.js';

const SQLITE_FIND = `SELECT token_hash AS tokenHash, csrf_token AS csrfToken, created_at AS createdAt, expires_at AS expiresAt
  FROM dashboard_sessions WHERE token_hash = ? AND expires_at > ?`;
const PG_FIND = `SELECT token_hash AS "tokenHash", csrf_token AS "csrfToken", created_at::float8 AS "createdAt", expires_at::float8 AS "expiresAt"
  FROM dashboard_sessions WHERE token_hash = $1 AND expires_at > $2`;

export function findDashboardSession(conn: Connection, tokenHash: string, now: number): Promise<DashboardSessionRow | null> {
  return runQuery(conn, 'findDashboardSession', {
    sqlite: (c) => c.statement<[string, number], DashboardSessionRow>(SQLITE_FIND).get(tokenHash, now) ?? null,
    postgres: async (c) => (await c.rows<DashboardSessionRow>(PG_FIND, [tokenHash, now]))[0] ?? null,
  });
}
