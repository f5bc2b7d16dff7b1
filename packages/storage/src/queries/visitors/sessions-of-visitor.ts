// sessionsOfVisitor: one visitor's sessions in one account, oldest first.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { SessionRecord } from '../../storage.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';
import { SESSION_COLUMNS, toSession, type SessionRow } from './session-row.js';

const SQLITE_SESSIONS = `SELECT ${SESSION_COLUMNS} FROM sessions
  WHERE account_key = ${ACCOUNT_KEY_OF} AND visitor_id = ? ORDER BY started_at, id`;

const PG_SESSIONS = `SELECT ${SESSION_COLUMNS} FROM sessions
  WHERE account_key = ${pgAccountKeyOf(1)} AND visitor_id = $2 ORDER BY started_at, id`;
/** Synchronous form, so visitor can read it inside its own snapshot. */
export function sqliteVisitorSessions(c: SqliteConnection, accountId: string, visitorId: string): SessionRecord[] {
  return c.statement<[string, string], SessionRow>(SQLITE_SESSIONS).all(accountId, visitorId).map(toSession);
}

/** On any client, so visitor can read it inside its own snapshot. */
export async function pgVisitorSessions(
  client: PgQueryable,
  accountId: string,
  visitorId: string,
): Promise<SessionRecord[]> {
  return (await client.query<SessionRow>(PG_SESSIONS, [accountId, visitorId])).rows.map(toSession);
}
export function sessionsOfVisitor(conn: Connection, accountId: string, visitorId: string): Promise<SessionRecord[]> {
  return runQuery(conn, 'sessionsOfVisitor', {
    sqlite: (c) => sqliteVisitorSessions(c, accountId, visitorId),
    postgres: (c) => pgVisitorSessions(c.pool, accountId, visitorId),
  });
}
