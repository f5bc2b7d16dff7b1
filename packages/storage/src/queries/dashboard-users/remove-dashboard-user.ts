// removeDashboardUser: deletes a user and ends every session they have, in one transaction; false when there was no such user.
import { runQuery, type Connection } from '../../dialects/dialects.js';

const SQLITE_SESSIONS = 'DELETE FROM dashboard_sessions WHERE user_id = ?';
const SQLITE_USER = 'DELETE FROM dashboard_users WHERE id = ?';
const PG_SESSIONS = 'DELETE FROM dashboard_sessions WHERE user_id = $1';
const PG_USER = 'DELETE FROM dashboard_users WHERE id = $1';

export function removeDashboardUser(conn: Connection, userId: string): Promise<boolean> {
  return runQuery(conn, 'removeDashboardUser', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          c.statement<[string]>(SQLITE_SESSIONS).run(userId);
          return c.statement<[string]>(SQLITE_USER).run(userId).changes > 0;
        })
        .immediate(),
    postgres: (c) =>
      c.transaction(async (client) => {
        await client.query(PG_SESSIONS, [userId]);
        return ((await client.query(PG_USER, [userId])).rowCount ?? 0) > 0;
      }),
  });
}
