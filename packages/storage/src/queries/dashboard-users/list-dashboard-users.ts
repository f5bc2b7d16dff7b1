// listDashboardUsers: every dashboard user (no password hashes) by login, and the invitations not yet used.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import {
  INVITATION_COLUMNS,
  toDashboardInvitation,
  toDashboardUser,
  USER_COLUMNS,
  type DashboardInvitation,
  type DashboardUser,
  type InvitationRow,
  type UserRow,
} from './dashboard-user-row.js';

export interface DashboardPeople {
  users: DashboardUser[];
  invitations: DashboardInvitation[];
}

const USERS = `SELECT ${USER_COLUMNS} FROM dashboard_users ORDER BY login`;
// Expired ones are listed too (the admin sees why a link failed); used ones are users now.
const INVITATIONS = `SELECT ${INVITATION_COLUMNS} FROM dashboard_invitations WHERE used_at IS NULL ORDER BY created_at, id`;

export function listDashboardUsers(conn: Connection): Promise<DashboardPeople> {
  return runQuery(conn, 'listDashboardUsers', {
    sqlite: (c) => ({
      users: c.statement<[], UserRow>(USERS).all().map(toDashboardUser),
      invitations: c.statement<[], InvitationRow>(INVITATIONS).all().map(toDashboardInvitation),
    }),
    postgres: async (c) => ({
      users: (await c.rows<UserRow>(USERS)).map(toDashboardUser),
      invitations: (await c.rows<InvitationRow>(INVITATIONS)).map(toDashboardInvitation),
    }),
  });
}
