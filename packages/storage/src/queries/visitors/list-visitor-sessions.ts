// sessionsOfVisitor: one visitor's sessions in one account, oldest first.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { SessionRecord } from '../../storage.js';
import { ACCOUNT_KEY_OF } from '../accounts/account-key.js';
import { SESSION_COLUMNS, toSession, type SessionRow } from './session-row.js';

const SQLITE_SESSIONS = `SELECT ${SESSION_COLUMNS} FROM sessions
  WHERE account_key = ${ACCOUNT_KEY_OF} AND visitor_id = ? ORDER BY started_at, id`;

/** Synchronous form, so getVisitor can read it inside its own snapshot. */
export function sqliteVisitorSessions(c: SqliteConnection, accountId: string, visitorId: string): SessionRecord[] {
  return c.statement<[string, string], SessionRow>(SQLITE_SESSIONS).all(accountId, visitorId).map(toSession);
}

export function listVisitorSessions(conn: Connection, accountId: string, visitorId: string): Promise<SessionRecord[]> {
  return runQuery(conn, 'sessionsOfVisitor', {
    sqlite: (c) => sqliteVisitorSessions(c, accountId, visitorId),
  });
}
