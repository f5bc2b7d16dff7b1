// deleteDashboardSessions: signs out one session (by token hash), every session of one user (null: the built-in admin; optionally all but one), or every session ("sign out everywhere").
import { runQuery, type Connection } from '../../dialects/dialects.js';

/** exceptTokenHash: the session that changed the password stays signed in (the dashboard's own change). */
export type DashboardSessionsToDelete =
  | { tokenHash: string }
  | { userId: string | null; exceptTokenHash?: string }
  | 'all';

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
  if (which.userId === null && which.exceptTokenHash !== undefined)
    return {
      sqlite: ['DELETE FROM dashboard_sessions WHERE user_id IS NULL AND token_hash <> ?', [which.exceptTokenHash]],
      postgres: ['DELETE FROM dashboard_sessions WHERE user_id IS NULL AND token_hash <> $1', [which.exceptTokenHash]],
    };
  if (which.userId === null)
    return {
      sqlite: ['DELETE FROM dashboard_sessions WHERE user_id IS NULL', []],
      postgres: ['DELETE FROM dashboard_sessions WHERE user_id IS NULL', []],
    };
  const keep = which.exceptTokenHash ?? '';
  return {
    sqlite: ['DELETE FROM dashboard_sessions WHERE user_id = ? AND token_hash <> ?', [which.userId, keep]],
    postgres: ['DELETE FROM dashboard_sessions WHERE user_id = $1 AND token_hash <> $2', [which.userId, keep]],
  };
}

export function deleteDashboardSessions(conn: Connection, which: DashboardSessionsToDelete): Promise<number> {
  const sql = statements(which);
  return runQuery(conn, 'deleteDashboardSessions', {
    sqlite: (c) => c.statement<string[]>(sql.sqlite[0]).run(...sql.sqlite[1]).changes,
    postgres: async (c) => (await c.pool.query(sql.postgres[0], [...sql.postgres[1]])).rowCount ?? 0,
  });
}
