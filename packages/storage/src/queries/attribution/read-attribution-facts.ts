// attributionFacts: conversions in a range plus the sessions and identity links their journeys are built from.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { AttributionFacts } from '../../storage.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';
import { DIMENSION_SQL, type AttributionDimension } from './attribution-dimension.js';

const SQLITE_CONVERSIONS = `SELECT id, visitor_id AS visitorId, session_id AS sessionId, occurred_at AS timestamp, revenue FROM conversions
  WHERE account_key = ${ACCOUNT_KEY_OF} AND occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at, id`;
// last_seen_at >= start implies nothing about started_at, but started_at >= start implies
// last_seen_at >= start: the extra bound lets the sessions_by_activity index do the range scan.
const sqliteSessions = (dimension: AttributionDimension): string => `SELECT id, visitor_id AS visitorId, started_at AS startedAt, channel,
    json_extract(utm, '$.utm_campaign') AS campaign, ${DIMENSION_SQL[dimension].sqlite} AS "group" FROM sessions
  WHERE account_key = ${ACCOUNT_KEY_OF} AND last_seen_at >= ? AND started_at >= ? AND started_at <= ?
  ORDER BY started_at DESC LIMIT ?`;
const SQLITE_LINKS = `SELECT user_id AS userId, visitor_id AS visitorId FROM identities WHERE account_key = ${ACCOUNT_KEY_OF}`;

const PG_CONVERSIONS = `SELECT id, visitor_id AS "visitorId", session_id AS "sessionId", occurred_at AS timestamp, revenue FROM conversions
  WHERE account_key = ${pgAccountKeyOf(1)} AND occurred_at >= $2 AND occurred_at < $3 ORDER BY occurred_at, id`;
// utm is JSON text; ->> reads the campaign as text (NULL when absent), like SQLite's json_extract.
const pgSessions = (dimension: AttributionDimension): string => `SELECT id, visitor_id AS "visitorId", started_at AS "startedAt", channel,
    utm::jsonb ->> 'utm_campaign' AS campaign, ${DIMENSION_SQL[dimension].postgres} AS "group" FROM sessions
  WHERE account_key = ${pgAccountKeyOf(1)} AND last_seen_at >= $2 AND started_at >= $2 AND started_at <= $3
  ORDER BY started_at DESC LIMIT $4`;
const PG_LINKS = `SELECT user_id AS "userId", visitor_id AS "visitorId" FROM identities WHERE account_key = ${pgAccountKeyOf(1)}`;
export interface FactsWindow {
  from: number; to: number; lookbackMs: number; maxSessions: number;
  /** What each session's `group` holds (a breakdown's value). @default 'channel' (group null) */
  dimension?: AttributionDimension;
}

export function readAttributionFacts(conn: Connection, accountId: string, w: FactsWindow): Promise<AttributionFacts> {
  return runQuery(conn, 'attributionFacts', {
    sqlite: (c) => c.db.transaction(() => {
      const start = w.from - w.lookbackMs;
      const conversions = c.statement<[string, number, number], AttributionFacts['conversions'][number]>(SQLITE_CONVERSIONS).all(accountId, w.from, w.to);
      // Newest first under the cap, so a truncated answer loses the oldest touchpoints only.
      const sessions = c.statement<[string, number, number, number, number], AttributionFacts['sessions'][number]>(sqliteSessions(w.dimension ?? 'channel'))
        .all(accountId, start, start, w.to, w.maxSessions + 1);
      const truncated = sessions.length > w.maxSessions;
      const links = c.statement<[string], AttributionFacts['links'][number]>(SQLITE_LINKS).all(accountId);
      return { conversions, sessions: truncated ? sessions.slice(0, w.maxSessions) : sessions, links, truncated };
    }).deferred(),
    postgres: (c) => c.transaction(async (client) => {
      const start = w.from - w.lookbackMs;
      const conversions = (await client.query<AttributionFacts['conversions'][number]>(PG_CONVERSIONS, [accountId, w.from, w.to])).rows;
      const sessions = (await client.query<AttributionFacts['sessions'][number]>(pgSessions(w.dimension ?? 'channel'), [accountId, start, w.to, w.maxSessions + 1])).rows;
      const truncated = sessions.length > w.maxSessions;
      const links = (await client.query<AttributionFacts['links'][number]>(PG_LINKS, [accountId])).rows;
      return { conversions, sessions: truncated ? sessions.slice(0, w.maxSessions) : sessions, links, truncated };
    }, { isolation: 'repeatable read', readOnly: true }),
  });
}
