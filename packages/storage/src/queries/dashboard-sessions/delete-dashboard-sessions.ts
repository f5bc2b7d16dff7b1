// deleteDashboardSessions: signs out one session (by token hash) or every session ('all': after a password change, or "sign out everywhere").
import { runQuery, type Connection } from '../../dialects/dialects.js';

export type DashboardSessionsToDelete = { tokenHash: string } | 'all';

export function deleteDashboardSessions(conn: Connection, which: DashboardSessionsToDelete): Promise<number> {
  const all = which === 'all';
  const hash = all ? '' : which.tokenHash;
  return runQuery(conn, 'deleteDashboardSessions', {
    sqlite: (c) => (all
      ? c.statement<[]>('DELETE FROM dashboard_sessions').run()
      : c.statement<[string]>('DELETE FROM dashboard_sessions WHERE token_hash = ?').run(hash)).changes,
    postgres: async (c) => (all
      ? await c.pool.query('DELETE FROM dashboard_sessions')
      : await c.pool.query('DELETE FROM dashboard_sessions WHERE token_hash = $1', [hash])).rowCount ?? 0,
  });
}
