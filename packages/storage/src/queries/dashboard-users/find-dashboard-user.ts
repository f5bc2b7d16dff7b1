// findDashboardUser: one user by id or by login name, with the password hash a sign-in checks, or null.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { toDashboardUser, USER_COLUMNS, type DashboardUserWithHash, type UserRow } from './dashboard-user-row.js';

export type DashboardUserKey = { id: string } | { login: string };

const SQLITE_BY_ID = `SELECT ${USER_COLUMNS}, password_hash FROM dashboard_users WHERE id = ?`;
const SQLITE_BY_LOGIN = `SELECT ${USER_COLUMNS}, password_hash FROM dashboard_users WHERE login = ?`;
const PG_BY_ID = `SELECT ${USER_COLUMNS}, password_hash FROM dashboard_users WHERE id = $1`;
const PG_BY_LOGIN = `SELECT ${USER_COLUMNS}, password_hash FROM dashboard_users WHERE login = $1`;

const withHash = (row: UserRow | undefined): DashboardUserWithHash | null =>
  row === undefined ? null : { ...toDashboardUser(row), passwordHash: row.password_hash ?? '' };

export function findDashboardUser(conn: Connection, key: DashboardUserKey): Promise<DashboardUserWithHash | null> {
  const byId = 'id' in key;
  const value = 'id' in key ? key.id : key.login;
  return runQuery(conn, 'findDashboardUser', {
    sqlite: (c) => withHash(c.statement<[string], UserRow>(byId ? SQLITE_BY_ID : SQLITE_BY_LOGIN).get(value)),
    postgres: async (c) => withHash((await c.rows<UserRow>(byId ? PG_BY_ID : PG_BY_LOGIN, [value]))[0]),
  });
}
