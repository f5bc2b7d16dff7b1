// revokeDashboardInvitation: deletes an invitation nobody has used yet, so its link is refused; false when there was none.
import { runQuery, type Connection } from '../../dialects/dialects.js';

const SQLITE_REVOKE = 'DELETE FROM dashboard_invitations WHERE id = ? AND used_at IS NULL';
const PG_REVOKE = 'DELETE FROM dashboard_invitations WHERE id = $1 AND used_at IS NULL';

export function revokeDashboardInvitation(conn: Connection, invitationId: string): Promise<boolean> {
  return runQuery(conn, 'revokeDashboardInvitation', {
    sqlite: (c) => c.statement<[string]>(SQLITE_REVOKE).run(invitationId).changes > 0,
    postgres: async (c) => ((await c.pool.query(PG_REVOKE, [invitationId])).rowCount ?? 0) > 0,
  });
}
