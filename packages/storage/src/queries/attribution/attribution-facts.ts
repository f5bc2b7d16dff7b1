// attributionFacts: conversions in a range plus the sessions and identity links their journeys are built from.
import type { ConversionFact, SessionFact, IdentityLink } from '../../storage.js';
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';
import { storedJsonObject } from '../stored-json-object.js';
import {
  dimensionColumns,
  dimensionValue,
  type AttributionDimension,
  type DimensionRow,
} from './attribution-dimension.js';

/** What attribution journeys are built from: conversions in [from, to), sessions since from - lookback. */
export interface AttributionFacts {
  conversions: ConversionFact[];
  sessions: SessionFact[];
  links: IdentityLink[];
  /** True when more than maxSessions sessions matched; the oldest were left out. */
  truncated: boolean;
}

type FactSession = AttributionFacts['sessions'][number];
export type SessionFactRow = Omit<FactSession, 'campaign' | 'group'> & DimensionRow;

const text = (v: unknown): string | null =>
  typeof v === 'string' ? v : v === undefined || v === null ? null : String(v);

/**
 * The campaign (and a breakdown's utm or click id value) is read from the JSON text here rather
 * than in SQL: json_extract and ::jsonb fail the whole query on one malformed value, and one stored
 * value must never break an account's attribution.
 */
export function toFactSession(dimension: AttributionDimension): (row: SessionFactRow) => FactSession {
  return ({ utm, click_ids: clickIds, landing_path: landingPath, ...row }) => {
    const parsedUtm = storedJsonObject(utm);
    return {
      ...row,
      campaign: text(parsedUtm.utm_campaign),
      group: dimensionValue(dimension, { utm: parsedUtm, click_ids: clickIds, landing_path: landingPath }),
    };
  };
}

const SQLITE_CONVERSIONS = `SELECT id, visitor_id AS visitorId, session_id AS sessionId, occurred_at AS timestamp, revenue FROM conversions
  WHERE account_key = ${ACCOUNT_KEY_OF} AND occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at, id`;
// last_seen_at >= start implies nothing about started_at, but started_at >= start implies
// last_seen_at >= start: the extra bound lets the sessions_by_activity index do the range scan.
/**
 * The utm JSON text, or NULL when neither the campaign nor the breakdown needs it: the widest column
 * of a session, it doubled the read of every session of the window (measured: 1.35 s with it, 0.6 s
 * without, 62k sessions), and Markov, the one reader of every session, needs neither.
 */
export function utmColumn(dimension: AttributionDimension, campaigns: boolean, table = ''): string {
  const utmDimension = dimension !== 'channel' && dimension !== 'landing_page' && dimension !== 'click_platform';
  return campaigns || utmDimension ? `${table}utm` : 'NULL AS utm';
}

const sqliteSessions = (
  dimension: AttributionDimension,
  campaigns: boolean,
): string => `SELECT id, visitor_id AS visitorId, started_at AS startedAt, channel, ${utmColumn(dimension, campaigns)}, ${dimensionColumns('sqlite', dimension)} FROM sessions
  WHERE account_key = ${ACCOUNT_KEY_OF} AND last_seen_at >= ? AND started_at >= ? AND started_at <= ?
  ORDER BY started_at DESC LIMIT ?`;
const SQLITE_LINKS = `SELECT user_id AS userId, visitor_id AS visitorId FROM identities WHERE account_key = ${ACCOUNT_KEY_OF}`;

const PG_CONVERSIONS = `SELECT id, visitor_id AS "visitorId", session_id AS "sessionId", occurred_at AS timestamp, revenue FROM conversions
  WHERE account_key = ${pgAccountKeyOf(1)} AND occurred_at >= $2 AND occurred_at < $3 ORDER BY occurred_at, id`;
const pgSessions = (
  dimension: AttributionDimension,
  campaigns: boolean,
): string => `SELECT id, visitor_id AS "visitorId", started_at AS "startedAt", channel, ${utmColumn(dimension, campaigns)}, ${dimensionColumns('postgres', dimension)} FROM sessions
  WHERE account_key = ${pgAccountKeyOf(1)} AND last_seen_at >= $2 AND started_at >= $2 AND started_at <= $3
  ORDER BY started_at DESC LIMIT $4`;
const PG_LINKS = `SELECT user_id AS "userId", visitor_id AS "visitorId" FROM identities WHERE account_key = ${pgAccountKeyOf(1)}`;
/** Which conversions and sessions an attribution query reads (the same for converterFacts). */
export interface FactsWindow {
  from: number;
  to: number;
  lookbackMs: number;
  maxSessions: number;
  /** What each session's `group` holds (a breakdown's value). @default 'channel' (group null) */
  dimension?: AttributionDimension;
  /** Read each session's campaign (a touchpoint's `campaign`); false: null, for readers that only credit keys. @default true */
  campaigns?: boolean;
}

export function attributionFacts(conn: Connection, accountId: string, w: FactsWindow): Promise<AttributionFacts> {
  return runQuery(conn, 'attributionFacts', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          const start = w.from - w.lookbackMs;
          const conversions = c
            .statement<[string, number, number], AttributionFacts['conversions'][number]>(SQLITE_CONVERSIONS)
            .all(accountId, w.from, w.to);
          // Newest first under the cap, so a truncated answer loses the oldest touchpoints only.
          const dimension = w.dimension ?? 'channel';
          const sessions = c
            .statement<[string, number, number, number, number], SessionFactRow>(
              sqliteSessions(dimension, w.campaigns ?? true),
            )
            .all(accountId, start, start, w.to, w.maxSessions + 1)
            .map(toFactSession(dimension));
          const truncated = sessions.length > w.maxSessions;
          const links = c.statement<[string], AttributionFacts['links'][number]>(SQLITE_LINKS).all(accountId);
          return { conversions, sessions: truncated ? sessions.slice(0, w.maxSessions) : sessions, links, truncated };
        })
        .deferred(),
    postgres: (c) =>
      c.transaction(
        async (client) => {
          const start = w.from - w.lookbackMs;
          const conversions = (
            await client.query<AttributionFacts['conversions'][number]>(PG_CONVERSIONS, [accountId, w.from, w.to])
          ).rows;
          const dimension = w.dimension ?? 'channel';
          const sessions = (
            await client.query<SessionFactRow>(pgSessions(dimension, w.campaigns ?? true), [
              accountId,
              start,
              w.to,
              w.maxSessions + 1,
            ])
          ).rows.map(toFactSession(dimension));
          const truncated = sessions.length > w.maxSessions;
          const links = (await client.query<AttributionFacts['links'][number]>(PG_LINKS, [accountId])).rows;
          return { conversions, sessions: truncated ? sessions.slice(0, w.maxSessions) : sessions, links, truncated };
        },
        { isolation: 'repeatable read', readOnly: true },
      ),
  });
}
