// acceptDashboardInvitation: turns a live invitation into a user with a password, exactly once per token even under racing acceptances.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import {
  INVITATION_COLUMNS,
  toDashboardInvitation,
  toDashboardUser,
  USER_COLUMNS,
  type InvitationAcceptance,
  type InvitationRow,
  type UserRow,
} from './dashboard-user-row.js';

export interface InvitationAnswer {
  tokenHash: string;
  /** Id of the user to create. */
  userId: string;
  /** The login name the person chose; used only when the invitation names none. */
  login: string | null;
  passwordHash: string;
  now: number;
}

// The claim: only an unused, unexpired invitation is marked used, and only one UPDATE can do that.
const SQLITE_CLAIM = `UPDATE dashboard_invitations SET used_at = ?, user_id = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
  RETURNING ${INVITATION_COLUMNS}`;
const SQLITE_UNCLAIM = 'UPDATE dashboard_invitations SET used_at = NULL, user_id = NULL WHERE token_hash = ?';
const SQLITE_FIND = `SELECT ${INVITATION_COLUMNS} FROM dashboard_invitations WHERE token_hash = ?`;
const SQLITE_INSERT = `INSERT INTO dashboard_users (id, login, role, account_ids, password_hash, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (login) DO NOTHING RETURNING ${USER_COLUMNS}`;
const PG_CLAIM = `UPDATE dashboard_invitations SET used_at = $1, user_id = $2 WHERE token_hash = $3 AND used_at IS NULL AND expires_at > $4
  RETURNING ${INVITATION_COLUMNS}`;
const PG_UNCLAIM = 'UPDATE dashboard_invitations SET used_at = NULL, user_id = NULL WHERE token_hash = $1';
const PG_FIND = `SELECT ${INVITATION_COLUMNS} FROM dashboard_invitations WHERE token_hash = $1`;
const PG_INSERT = `INSERT INTO dashboard_users (id, login, role, account_ids, password_hash, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (login) DO NOTHING RETURNING ${USER_COLUMNS}`;

/** Why a token could not be claimed: unknown, already used, or expired. */
function refusal(row: InvitationRow | undefined): InvitationAcceptance {
  if (row === undefined) return { kind: 'unknown' };
  const invitation = toDashboardInvitation(row);
  if (invitation.usedAt !== null) return { kind: 'used', usedAt: invitation.usedAt };
  return { kind: 'expired', expiredAt: invitation.expiresAt };
}

/** After a claim: the login to create, or why there is none. */
function loginFor(row: InvitationRow, chosen: string | null): string | null {
  return row.login ?? chosen;
}

async function acceptPg(client: PgQueryable, a: InvitationAnswer): Promise<InvitationAcceptance> {
  const [claimed] = (await client.query<InvitationRow>(PG_CLAIM, [a.now, a.userId, a.tokenHash, a.now])).rows;
  if (claimed === undefined) return refusal((await client.query<InvitationRow>(PG_FIND, [a.tokenHash])).rows[0]);
  const login = loginFor(claimed, a.login);
  if (login === null) {
    await client.query(PG_UNCLAIM, [a.tokenHash]);
    return { kind: 'login_required' };
  }
  const [user] = (
    await client.query<UserRow>(PG_INSERT, [a.userId, login, claimed.role, claimed.account_ids, a.passwordHash, a.now])
  ).rows;
  if (user === undefined) {
    await client.query(PG_UNCLAIM, [a.tokenHash]);
    return { kind: 'login_taken', login };
  }
  return { kind: 'accepted', user: toDashboardUser(user) };
}

/**
 * One transaction: claim the invitation, then create its user. A login name already taken (or
 * missing) gives the claim back, so the person can try again with another name. Two acceptances of
 * one token: PostgreSQL's row lock makes the second UPDATE wait and then find the invitation used;
 * SQLite runs them one after the other. Exactly one wins.
 */
export function acceptDashboardInvitation(conn: Connection, answer: InvitationAnswer): Promise<InvitationAcceptance> {
  return runQuery(conn, 'acceptDashboardInvitation', {
    sqlite: (c) =>
      c.db
        .transaction((): InvitationAcceptance => {
          const claimed = c
            .statement<[number, string, string, number], InvitationRow>(SQLITE_CLAIM)
            .get(answer.now, answer.userId, answer.tokenHash, answer.now);
          if (claimed === undefined)
            return refusal(c.statement<[string], InvitationRow>(SQLITE_FIND).get(answer.tokenHash));
          const login = loginFor(claimed, answer.login);
          const unclaim = (): void => {
            c.statement<[string]>(SQLITE_UNCLAIM).run(answer.tokenHash);
          };
          if (login === null) {
            unclaim();
            return { kind: 'login_required' };
          }
          const user = c
            .statement<[string, string, string, string, string, number, number], UserRow>(SQLITE_INSERT)
            .get(answer.userId, login, claimed.role, claimed.account_ids, answer.passwordHash, answer.now, answer.now);
          if (user === undefined) {
            unclaim();
            return { kind: 'login_taken', login };
          }
          return { kind: 'accepted', user: toDashboardUser(user) };
        })
        .immediate(),
    postgres: (c) => c.transaction((client) => acceptPg(client, answer)),
  });
}
