// findDashboardInvitation: the invitation a token hash names (used, expired or not), or null; the invitation page shows whom it is for.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import {
  INVITATION_COLUMNS,
  toDashboardInvitation,
  type DashboardInvitation,
  type InvitationRow,
} from './dashboard-user-row.js';

const SQLITE_FIND = `SELECT ${INVITATION_COLUMNS} FROM dashboard_invitations WHERE token_hash = ?`;
const PG_FIND = `SELECT ${INVITATION_COLUMNS} FROM dashboard_invitations WHERE token_hash = $1`;

export function findDashboardInvitation(conn: Connection, tokenHash: string): Promise<DashboardInvitation | null> {
  return runQuery(conn, 'findDashboardInvitation', {
    sqlite: (c) => {
      const row = c.statement<[string], InvitationRow>(SQLITE_FIND).get(tokenHash);
      return row === undefined ? null : toDashboardInvitation(row);
    },
    postgres: async (c) => {
      const [row] = await c.rows<InvitationRow>(PG_FIND, [tokenHash]);
      return row === undefined ? null : toDashboardInvitation(row);
    },
  });
}
