// setDashboardUserPassword: stores a user's new password hash and ends their other sessions; the number ended, or null when there was no such user.
import { runQuery, type Connection } from '../../dialects/dialects.js';

export interface PasswordChange {
  userId: string;
  passwordHash: string;
  /** The session that made the change stays signed in (its token hash); null ends them all. */
  keepTokenHash: string | null;
  now: number;
}

const SQLITE_SET = 'UPDATE dashboard_users SET password_hash = ?, updated_at = ? WHERE id = ?';
const SQLITE_SESSIONS = 'DELETE FROM dashboard_sessions WHERE user_id = ? AND token_hash <> ?';
const PG_SET = 'UPDATE dashboard_users SET password_hash = $1, updated_at = $2 WHERE id = $3';
const PG_SESSIONS = 'DELETE FROM dashboard_sessions WHERE user_id = $1 AND token_hash <> $2';

export function setDashboardUserPassword(conn: Connection, change: PasswordChange): Promise<number | null> {
  const keep = change.keepTokenHash ?? '';
  return runQuery(conn, 'setDashboardUserPassword', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          if (
            c.statement<[string, number, string]>(SQLITE_SET).run(change.passwordHash, change.now, change.userId)
              .changes === 0
          )
            return null;
          return c.statement<[string, string]>(SQLITE_SESSIONS).run(change.userId, keep).changes;
        })
        .immediate(),
    postgres: (c) =>
      c.transaction(async (client) => {
        if (((await client.query(PG_SET, [change.passwordHash, change.now, change.userId])).rowCount ?? 0) === 0)
          return null;
        return (await client.query(PG_SESSIONS, [change.userId, keep])).rowCount ?? 0;
      }),
  });
}
