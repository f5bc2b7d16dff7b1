// The SQL of the person walk shared by converterFacts and journeyFacts: the recursive identify CTE, the window's conversions, the walked persons' sessions and links.
import type { Dialect } from '../../storage.js';
import { dimensionColumns, type AttributionDimension } from './attribution-dimension.js';
import { utmColumn } from './attribution-facts.js';

// A journey is built from its person's sessions (the converter and every visitor linked to it
// through identify, transitively). The recursive CTE walks from its start rows over identity
// links (index lookups: identities_by_visitor, then the identities key), UNION drops repeats so
// it ends, and each person's sessions are read by the sessions key (account, visitor).
// SQLite's planner, left alone, scans the account's identities and sessions once per step
// (measured: 9-15 s on 62k sessions); CROSS JOIN keeps the written order, person first, and
// INDEXED BY names the visitor index it otherwise passes over for the key's account prefix.
// PostgreSQL estimates the walk at a handful of visitors and, measured on the same data, joined
// them to every session of the account in a nested loop (23-28 s). Each lookup is a LATERAL
// subquery per visitor, fenced by OFFSET 0 so the planner cannot flatten it back into that join.
// The person set is closed under links, so its identity rows group it exactly as all of the
// account's links would: union-find components never cross into visitors outside it.

/**
 * The parameters every query here binds, by dialect: SQLite's named ones, PostgreSQL's positions
 * ($1 account id, $2 from, $3 to, $4 lookback start; a caller's own come after).
 */
export const WALK_PARAMS = {
  sqlite: { account: '@account', from: '@from', to: '@to', start: '@start' },
  postgres: { account: '$1', from: '$2', to: '$3', start: '$4' },
} as const satisfies Record<Dialect, Record<string, string>>;

/**
 * The identify walk as CTEs: `walk(kind, id)` alternates visitors (kind 0) and user ids (kind 1)
 * from `starts` (a select of `visitor_id`), and `person(visitor_id)` is its visitors. Each visitor
 * and each user id is expanded once, so the walk costs the person's identity rows. The walk from
 * visitor to visitor through both identity rows at once revisited every visitor of a user id from
 * every other one: quadratic in a user id's visitors (measured: 249 ms against 2.7 ms for one user
 * id on 1,050 visitors; a 6,390-visitor person in the WAL soak took seconds per walk).
 *
 * `key` is the account key's SQL (`acct.k` joins the `acct` CTE); `limit` bounds the rows of the
 * walk (visitors and user ids) on SQLite, where a recursive CTE takes a LIMIT; on PostgreSQL the
 * outer select limits (the walk runs as far as it is read).
 */
export function walkCtes(dialect: Dialect, starts: string, key: string, limit?: number): string {
  const acct = key === 'acct.k' ? ' CROSS JOIN acct' : '';
  const person = 'person(visitor_id) AS (SELECT id FROM walk WHERE kind = 0)';
  if (dialect === 'sqlite')
    return `walk(kind, id) AS (
    SELECT 0, s.visitor_id FROM (${starts}) AS s
    UNION
    SELECT 1, i.user_id FROM walk w${acct}
      CROSS JOIN identities i INDEXED BY identities_by_visitor ON i.account_key = ${key} AND i.visitor_id = w.id WHERE w.kind = 0
    UNION
    SELECT 0, i.visitor_id FROM walk w${acct}
      CROSS JOIN identities i ON i.account_key = ${key} AND i.user_id = w.id WHERE w.kind = 1${
        limit === undefined
          ? ''
          : `
    LIMIT ${limit}`
      }
  ),
  ${person}`;
  // One recursive term (PostgreSQL allows one reference to the walk): both directions in a LATERAL,
  // each an index lookup fenced by OFFSET 0 as before.
  return `walk(kind, id) AS (
    SELECT 0, s.visitor_id FROM (${starts}) AS s
    UNION
    SELECT x.kind, x.id FROM walk w${acct} CROSS JOIN LATERAL (
      (SELECT 1 AS kind, i.user_id AS id FROM identities i WHERE w.kind = 0 AND i.account_key = ${key} AND i.visitor_id = w.id OFFSET 0)
      UNION ALL
      (SELECT 0, i.visitor_id FROM identities i WHERE w.kind = 1 AND i.account_key = ${key} AND i.user_id = w.id OFFSET 0)
    ) x
  ),
  ${person}`;
}

/** `WITH RECURSIVE acct(k), walk, person(visitor_id)` from `starts` (visitor ids, may join `acct`), then `select`. */
export function personWalk(dialect: Dialect, starts: string, select: string): string {
  const p = WALK_PARAMS[dialect];
  return `WITH RECURSIVE acct(k) AS (SELECT key FROM accounts WHERE id = ${p.account}),
  ${walkCtes(dialect, starts, 'acct.k')}
  ${select}`;
}

/** Walk start rows: the visitors who converted in the window. */
export function windowConverters(dialect: Dialect): string {
  const p = WALK_PARAMS[dialect];
  return `SELECT c.visitor_id FROM acct JOIN conversions c ON c.account_key = acct.k AND c.occurred_at >= ${p.from} AND c.occurred_at < ${p.to}`;
}

/** The window's conversions, oldest first (not a walk: every conversion of the window). */
export function windowConversions(dialect: Dialect): string {
  const p = WALK_PARAMS[dialect];
  const q = dialect === 'sqlite' ? (name: string) => name : (name: string) => `"${name}"`;
  return `SELECT c.id, c.visitor_id AS ${q('visitorId')}, c.session_id AS ${q('sessionId')}, c.occurred_at AS timestamp, c.revenue
  FROM accounts a JOIN conversions c ON c.account_key = a.key
  WHERE a.id = ${p.account} AND c.occurred_at >= ${p.from} AND c.occurred_at < ${p.to} ORDER BY c.occurred_at, c.id`;
}

/** The select (after personWalk) of the walked visitors' sessions started in [lookback start, to], unordered. */
export function personSessions(dialect: Dialect, dimension: AttributionDimension, campaigns: boolean): string {
  const p = WALK_PARAMS[dialect];
  const columns = `${utmColumn(dimension, campaigns, 's.')}, ${dimensionColumns(dialect, dimension, 's.')}`;
  return dialect === 'sqlite'
    ? `SELECT s.id, s.visitor_id AS visitorId,
    s.started_at AS startedAt, s.channel, ${columns}
  FROM person p CROSS JOIN acct CROSS JOIN sessions s ON s.account_key = acct.k AND s.visitor_id = p.visitor_id
  WHERE s.started_at >= ${p.start} AND s.started_at <= ${p.to}`
    : `SELECT s.id, s.visitor_id AS "visitorId",
    s.started_at AS "startedAt", s.channel, ${columns}
  FROM person p CROSS JOIN acct
    CROSS JOIN LATERAL (SELECT * FROM sessions s WHERE s.account_key = acct.k AND s.visitor_id = p.visitor_id
      AND s.started_at >= ${p.start} AND s.started_at <= ${p.to} OFFSET 0) s`;
}

/** The select (after personWalk) of the walked visitors' identity links. */
export function personLinks(dialect: Dialect): string {
  return dialect === 'sqlite'
    ? `SELECT i.user_id AS userId, i.visitor_id AS visitorId
  FROM person p CROSS JOIN acct CROSS JOIN identities i INDEXED BY identities_by_visitor ON i.account_key = acct.k AND i.visitor_id = p.visitor_id`
    : `SELECT i.user_id AS "userId", i.visitor_id AS "visitorId"
  FROM person p CROSS JOIN acct
    CROSS JOIN LATERAL (SELECT * FROM identities i WHERE i.account_key = acct.k AND i.visitor_id = p.visitor_id OFFSET 0) i`;
}
