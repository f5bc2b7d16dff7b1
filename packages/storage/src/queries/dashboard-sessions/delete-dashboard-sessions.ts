// deleteDashboardSessions: signs out one session (by token hash), every session of one user (null: the built-in admin), or every session ('all': after an admin password change, or "sign out everywhere").
import { runQuery, type Connection } from '../../dialects/dialects.js';

export type DashboardSessionsToDelete = { tokenHash: string } | { userId: string | null } | 'all';

type Sql = readonly [sql: string, params: Array<string>];

function statements(which: DashboardSessionsToDelete): { sqlite: Sql; postgres: Sql } {
  if (which === 'all')
    return { sqlite: ['DELETE FROM dashboard_sessions', []], postgres: ['DELETE FROM dashboard_sessions', []] };
  if ('tokenHash' in which) {
    return {
      sqlite: ['DELETE FROM dashboard_sessions WHERE token_hash = ?', [which.tokenHash]],
      postgres: ['DELETE FROM dashboard_sessions WHERE token_hash = $1', [which.tokenHash]],
    };
  }
  if (which.userId === null)
    return {
      sqlite: ['DELETE FROM dashboard_sessions WHERE user_id IS NULL', []],
      postgres: ['DELETE FROM dashboard_sessions WHERE user_id IS NULL', []],
    };
  return {
    sqlite: ['DELETE FROM dashboard_sessions WHERE user_id = ?', [which.userId]],
    postgres: ['DELETE FROM dashboard_sessions WHERE user_id = $1', [which.userId]],
  };
}

export function deleteDashboardSessions(conn: Connection, which: DashboardSessionsToDelete): Promise<number> {
  const sql = statements(which);
  return runQuery(conn, 'deleteDashboardSessions', {
    sqlite: (c) => c.statement<string[]>(sql.sqlite[0]).run(...sql.sqlite[1]).changes,
    postgres: async (c) => (await c.pool.query(sql.postgres[0], [...sql.postgres[1]])).rowCount ?? 0,
  });
}
