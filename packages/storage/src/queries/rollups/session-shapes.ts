// Reads sessions as the rollups see them (start, span, landing dimensions), by key, inside a write transaction.
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import { pgUrlHost, pgUrlPath, sqlUrlHost, sqlUrlPath } from '../dashboard/url-parts.js';
import { pgUtmValue, sqlUtmValue } from '../dashboard/utm-parts.js';
import type { SessionShape } from './rollup-deltas.js';

/** A session's key: account key (null for an unknown account, which matches nothing), visitor, session id. */
export interface SessionKey {
  account: number | null;
  visitorId: string;
  id: string;
}

// The dimensions are the raw reports' own expressions (url-parts.ts), so a rollup row holds exactly
// the value the raw query would compute from the session; '' for none.
const sqliteDims = `coalesce(s.channel, '') AS channel,
    CASE WHEN s.landing_url IS NULL THEN '' ELSE ${sqlUrlPath('s.landing_url')} END AS landingPath,
    CASE WHEN s.referrer IS NULL OR s.referrer = '' THEN '' ELSE ${sqlUrlHost('s.referrer')} END AS referrerHost,
    ${sqlUtmValue('s.utm', 'source')} AS utmSource, ${sqlUtmValue('s.utm', 'medium')} AS utmMedium,
    ${sqlUtmValue('s.utm', 'campaign')} AS utmCampaign`;
const pgDims = (t: string): string => `coalesce(${t}.channel, '') AS "channel",
    CASE WHEN ${t}.landing_url IS NULL THEN '' ELSE ${pgUrlPath(`${t}.landing_url`)} END AS "landingPath",
    CASE WHEN ${t}.referrer IS NULL OR ${t}.referrer = '' THEN '' ELSE ${pgUrlHost(`${t}.referrer`)} END AS "referrerHost",
    ${pgUtmValue(`${t}.utm`, 'source')} AS "utmSource", ${pgUtmValue(`${t}.utm`, 'medium')} AS "utmMedium",
    ${pgUtmValue(`${t}.utm`, 'campaign')} AS "utmCampaign"`;
/** The shape columns of a row of `sessions` named `t`, for a SELECT or an upsert's RETURNING. */
const pgShape = (
  t: string,
): string => `${t}.account_key AS "accountKey", ${t}.visitor_id AS "visitorId", ${t}.id, ${t}.started_at AS "startedAt",
    ${t}.last_seen_at AS "lastSeenAt", ${pgDims(t)}`;
/** RETURNING clause for the sessions upsert: the merged rows' shapes, saving a read after it. */
export const PG_SHAPE_RETURNING = `RETURNING ${pgShape('sessions')}`;

const SQLITE_SHAPES = `SELECT s.account_key AS accountKey, s.visitor_id AS visitorId, s.id, s.started_at AS startedAt,
    s.last_seen_at AS lastSeenAt, ${sqliteDims}
  FROM json_each(?) AS j
  JOIN sessions AS s ON s.account_key = j.value ->> 0 AND s.visitor_id = j.value ->> 1 AND s.id = j.value ->> 2`;

export function sqliteSessionShapes(c: SqliteConnection, keys: ReadonlyArray<SessionKey>): SessionShape[] {
  if (keys.length === 0) return [];
  const json = JSON.stringify(keys.map((k) => [k.account, k.visitorId, k.id]));
  return c.statement<[string], SessionShape>(SQLITE_SHAPES).all(json);
}

const PG_SHAPES = `SELECT ${pgShape('s')}
  FROM unnest($1::integer[], $2::text[], $3::text[]) AS x (account, visitor_id, id)
  JOIN sessions AS s ON s.account_key = x.account AND s.visitor_id = x.visitor_id AND s.id = x.id`;

/**
 * A transaction-level advisory lock per visitor of the sessions written, taken in one order: two
 * collectors writing items of one session (or of two sessions of one visitor) take turns, so each
 * reads the rows the other committed before computing its deltas (a row lock cannot cover a
 * session that does not exist yet). Per visitor, not per session, because the visitor's hour set
 * (visitor-sets.ts) is shared by all its sessions. A hash collision only makes two writers take
 * turns needlessly.
 */
const PG_LOCK = `SELECT COUNT(pg_advisory_xact_lock(k)) AS n FROM (
    SELECT DISTINCT hashtextextended(x.account || '/' || x.visitor_id, 7) AS k
    FROM unnest($1::integer[], $2::text[], $3::text[]) AS x (account, visitor_id, id) ORDER BY k) AS keys`;

const PG_ACCOUNT_KEYS = 'SELECT id, key FROM accounts WHERE id = ANY($1::text[])';

/** Account id -> key for the given ids (read once per write; unknown ids are absent). */
export async function pgAccountKeys(client: PgQueryable, accountIds: readonly string[]): Promise<Map<string, number>> {
  if (accountIds.length === 0) return new Map();
  const rows = (await client.query<{ id: string; key: number }>(PG_ACCOUNT_KEYS, [[...new Set(accountIds)]])).rows;
  return new Map(rows.map((r) => [r.id, r.key]));
}

function pgKeyArrays(keys: ReadonlyArray<SessionKey>): unknown[][] {
  return [keys.map((k) => k.account), keys.map((k) => k.visitorId), keys.map((k) => k.id)];
}

export async function pgLockSessions(client: PgQueryable, keys: ReadonlyArray<SessionKey>): Promise<void> {
  if (keys.length > 0) await client.query(PG_LOCK, pgKeyArrays(keys));
}

export async function pgSessionShapes(client: PgQueryable, keys: ReadonlyArray<SessionKey>): Promise<SessionShape[]> {
  if (keys.length === 0) return [];
  return (await client.query<SessionShape>(PG_SHAPES, pgKeyArrays(keys))).rows;
}
