// The SQL of the person walk shared by converterFacts and journeyFacts: the recursive identify CTE, the window's conversions, the walked persons' sessions and links.
import type { Dialect } from '../../storage.js';
import { dimensionColumns, type AttributionDimension } from './attribution-dimension.js';

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

/** `WITH RECURSIVE acct(k), person(visitor_id)` from `starts` (visitor ids, may join `acct`), then `select`. */
export function personWalk(dialect: Dialect, starts: string, select: string): string {
  const p = WALK_PARAMS[dialect];
  const step =
    dialect === 'sqlite'
      ? `SELECT i2.visitor_id FROM person p CROSS JOIN acct
      CROSS JOIN identities i1 INDEXED BY identities_by_visitor ON i1.account_key = acct.k AND i1.visitor_id = p.visitor_id
      CROSS JOIN identities i2 ON i2.account_key = acct.k AND i2.user_id = i1.user_id`
      : `SELECT i2.visitor_id FROM person p CROSS JOIN acct
      CROSS JOIN LATERAL (SELECT i1.user_id FROM identities i1 WHERE i1.account_key = acct.k AND i1.visitor_id = p.visitor_id OFFSET 0) i1
      CROSS JOIN LATERAL (SELECT i2.visitor_id FROM identities i2 WHERE i2.account_key = acct.k AND i2.user_id = i1.user_id OFFSET 0) i2`;
  return `WITH RECURSIVE acct(k) AS (SELECT key FROM accounts WHERE id = ${p.account}),
  person(visitor_id) AS (
    ${starts}
    UNION
    ${step}
  )
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
export function personSessions(dialect: Dialect, dimension: AttributionDimension): string {
  const p = WALK_PARAMS[dialect];
  const columns = dimensionColumns(dialect, dimension, 's.');
  return dialect === 'sqlite'
    ? `SELECT s.id, s.visitor_id AS visitorId,
    s.started_at AS startedAt, s.channel, s.utm, ${columns}
  FROM person p CROSS JOIN acct CROSS JOIN sessions s ON s.account_key = acct.k AND s.visitor_id = p.visitor_id
  WHERE s.started_at >= ${p.start} AND s.started_at <= ${p.to}`
    : `SELECT s.id, s.visitor_id AS "visitorId",
    s.started_at AS "startedAt", s.channel, s.utm, ${columns}
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
