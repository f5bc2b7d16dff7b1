// visitor: one visitor of one account with its sessions, latest events and the user ids it was identified as.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { EventRecord, VisitorRecord } from '../../storage.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';
import { storedJsonObject } from '../stored-json-object.js';
import { pgVisitorSessions, sqliteVisitorSessions } from './sessions-of-visitor.js';

/** The visitor page shows recent history; a bot-like visitor can have millions of events. */
export const VISITOR_EVENT_LIMIT = 1000;

interface VisitorRow {
  id: string;
  first_seen_at: number;
  last_seen_at: number;
}
interface EventRow {
  id: string;
  type: string;
  name: string | null;
  session_id: string | null;
  occurred_at: number;
  url: string | null;
  properties: string;
}

const SQLITE_VISITOR = `SELECT id, first_seen_at, last_seen_at FROM visitors WHERE account_key = ${ACCOUNT_KEY_OF} AND id = ?`;
// The latest N by time, returned oldest first.
const SQLITE_EVENTS = `SELECT * FROM (
    SELECT id, type, name, session_id, occurred_at, url, properties FROM events
    WHERE account_key = ${ACCOUNT_KEY_OF} AND visitor_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ?)
  ORDER BY occurred_at, id`;
const SQLITE_USER_IDS = `SELECT user_id FROM identities WHERE account_key = ${ACCOUNT_KEY_OF} AND visitor_id = ?
  ORDER BY occurred_at, user_id`;

const PG_VISITOR = `SELECT id, first_seen_at, last_seen_at FROM visitors WHERE account_key = ${pgAccountKeyOf(1)} AND id = $2`;
const PG_EVENTS = `SELECT * FROM (
    SELECT id, type, name, session_id, occurred_at, url, properties FROM events
    WHERE account_key = ${pgAccountKeyOf(1)} AND visitor_id = $2 ORDER BY occurred_at DESC, id DESC LIMIT $3) AS latest
  ORDER BY occurred_at, id`;
const PG_USER_IDS = `SELECT user_id FROM identities WHERE account_key = ${pgAccountKeyOf(1)} AND visitor_id = $2
  ORDER BY occurred_at, user_id`;
function toEvent(row: EventRow): EventRecord {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    sessionId: row.session_id,
    timestamp: row.occurred_at,
    url: row.url,
    properties: storedJsonObject(row.properties),
  };
}

function sqliteVisitor(c: SqliteConnection, accountId: string, visitorId: string): VisitorRecord | null {
  const visitor = c.statement<[string, string], VisitorRow>(SQLITE_VISITOR).get(accountId, visitorId);
  if (visitor === undefined) return null;
  const events = c
    .statement<[string, string, number], EventRow>(SQLITE_EVENTS)
    .all(accountId, visitorId, VISITOR_EVENT_LIMIT);
  const userIds = c.statement<[string, string], string>(SQLITE_USER_IDS).pluck().all(accountId, visitorId);
  return {
    id: visitor.id,
    firstSeenAt: visitor.first_seen_at,
    lastSeenAt: visitor.last_seen_at,
    userIds,
    sessions: sqliteVisitorSessions(c, accountId, visitorId),
    events: events.map(toEvent),
  };
}

async function pgVisitor(client: PgQueryable, accountId: string, visitorId: string): Promise<VisitorRecord | null> {
  const [visitor] = (await client.query<VisitorRow>(PG_VISITOR, [accountId, visitorId])).rows;
  if (visitor === undefined) return null;
  const events = (await client.query<EventRow>(PG_EVENTS, [accountId, visitorId, VISITOR_EVENT_LIMIT])).rows;
  const userIds = (await client.query<{ user_id: string }>(PG_USER_IDS, [accountId, visitorId])).rows.map(
    (r) => r.user_id,
  );
  return {
    id: visitor.id,
    firstSeenAt: visitor.first_seen_at,
    lastSeenAt: visitor.last_seen_at,
    userIds,
    sessions: await pgVisitorSessions(client, accountId, visitorId),
    events: events.map(toEvent),
  };
}
export function visitor(conn: Connection, accountId: string, visitorId: string): Promise<VisitorRecord | null> {
  return runQuery(conn, 'visitor', {
    // A read transaction, so the visitor, its sessions and its events come from one snapshot.
    sqlite: (c) => c.db.transaction(() => sqliteVisitor(c, accountId, visitorId)).deferred(),
    postgres: (c) =>
      c.transaction((client) => pgVisitor(client, accountId, visitorId), {
        isolation: 'repeatable read',
        readOnly: true,
      }),
  });
}
