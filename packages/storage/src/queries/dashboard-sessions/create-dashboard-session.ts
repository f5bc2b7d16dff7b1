// createDashboardSession: stores a new sign-in session, drops expired ones, and keeps at most `maxSessions` (the newest).
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { DashboardSessionRow } from './dashboard-session-row.js';

const SQLITE_EXPIRE = 'DELETE FROM dashboard_sessions WHERE expires_at <= ?';
const SQLITE_INSERT =
  'INSERT INTO dashboard_sessions (token_hash, csrf_token, created_at, expires_at, user_id) VALUES (?, ?, ?, ?, ?)';
// Beyond the cap the oldest go first, so a flood of sign-ins cannot grow the table without bound.
const SQLITE_CAP = `DELETE FROM dashboard_sessions WHERE token_hash IN (
  SELECT token_hash FROM dashboard_sessions ORDER BY created_at DESC, token_hash DESC LIMIT -1 OFFSET ?)`;
const PG_EXPIRE = 'DELETE FROM dashboard_sessions WHERE expires_at <= $1';
const PG_INSERT =
  'INSERT INTO dashboard_sessions (token_hash, csrf_token, created_at, expires_at, user_id) VALUES ($1, $2, $3, $4, $5)';
const PG_CAP = `DELETE FROM dashboard_sessions WHERE token_hash IN (
  SELECT token_hash FROM dashboard_sessions ORDER BY created_at DESC, token_hash DESC OFFSET $1)`;

export function createDashboardSession(
  conn: Connection,
  session: DashboardSessionRow,
  maxSessions: number,
): Promise<void> {
  const { tokenHash, csrfToken, createdAt, expiresAt, userId } = session;
  return runQuery(conn, 'createDashboardSession', {
    sqlite: (c) =>
      c.db.transaction(() => {
        c.statement<[number]>(SQLITE_EXPIRE).run(createdAt);
        c.statement<[string, string, number, number, string | null]>(SQLITE_INSERT).run(
          tokenHash,
          csrfToken,
          createdAt,
          expiresAt,
          userId,
        );
        c.statement<[number]>(SQLITE_CAP).run(maxSessions);
      })(),
    postgres: (c) =>
      c.transaction(async (client) => {
        await client.query(PG_EXPIRE, [createdAt]);
        await client.query(PG_INSERT, [tokenHash, csrfToken, createdAt, expiresAt, userId]);
        await client.query(PG_CAP, [maxSessions]);
      }),
  });
}
