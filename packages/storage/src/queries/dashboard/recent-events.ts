// recentEvents: one account's latest events (the dashboard's live feed), newest first.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { named } from '../../dialects/postgres-named-params.js';
import { ACCOUNT_KEY_OF_NAMED } from '../accounts/account-key.js';

export interface RecentEvent {
  id: string;
  type: string;
  name: string | null;
  visitorId: string;
  sessionId: string | null;
  timestamp: number;
  url: string | null;
}

// A backward scan of events_by_time from the newest; `since` bounds it for polling clients.
const SQLITE_RECENT = `SELECT id, type, name, visitor_id AS visitorId, session_id AS sessionId, occurred_at AS timestamp, url FROM events
  WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND occurred_at >= @since ORDER BY occurred_at DESC, id DESC LIMIT @limit`;
// PostgreSQL: the same with quoted camelCase aliases (unquoted ones fold to lower case).
const PG_RECENT = named<keyof Params>(
  SQLITE_RECENT.replace('AS visitorId', 'AS "visitorId"')
    .replace('AS sessionId', 'AS "sessionId"')
    .replace('AS timestamp', 'AS "timestamp"'),
);

interface Params {
  account: string;
  since: number;
  limit: number;
}

export function recentEvents(
  conn: Connection,
  accountId: string,
  options: { since: number; limit: number },
): Promise<RecentEvent[]> {
  const params: Params = { account: accountId, since: options.since, limit: options.limit };
  return runQuery(conn, 'recentEvents', {
    sqlite: (c) => c.statement<[Params], RecentEvent>(SQLITE_RECENT).all(params),
    postgres: (c) => c.rows<RecentEvent>(PG_RECENT.text, PG_RECENT.values(params)),
  });
}
