// setDashboardUserRole: changes a user's role and accounts and ends their sessions (they sign in again under the new role); false when there was no such user.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { DashboardRole } from './dashboard-user-row.js';

export interface RoleChange {
  userId: string;
  role: DashboardRole;
  accountIds: string[];
  now: number;
}

const SQLITE_SET = 'UPDATE dashboard_users SET role = ?, account_ids = ?, updated_at = ? WHERE id = ?';
const SQLITE_SESSIONS = 'DELETE FROM dashboard_sessions WHERE user_id = ?';
const PG_SET = 'UPDATE dashboard_users SET role = $1, account_ids = $2, updated_at = $3 WHERE id = $4';
const PG_SESSIONS = 'DELETE FROM dashboard_sessions WHERE user_id = $1';

export function setDashboardUserRole(conn: Connection, change: RoleChange): Promise<boolean> {
  const ids = JSON.stringify(change.accountIds);
  return runQuery(conn, 'setDashboardUserRole', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          if (
            c.statement<[string, string, number, string]>(SQLITE_SET).run(change.role, ids, change.now, change.userId)
              .changes === 0
          )
            return false;
          c.statement<[string]>(SQLITE_SESSIONS).run(change.userId);
          return true;
        })
        .immediate(),
    postgres: (c) =>
      c.transaction(async (client) => {
        if (((await client.query(PG_SET, [change.role, ids, change.now, change.userId])).rowCount ?? 0) === 0)
          return false;
        await client.query(PG_SESSIONS, [change.userId]);
        return true;
      }),
  });
}
