// converterFacts: attributionFacts narrowed to the people who converted: their sessions and identity links only, which is all every model but Markov reads.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { AttributionFacts } from '../../storage.js';
import { dimensionColumns, type AttributionDimension } from './attribution-dimension.js';
import { toFactSession, type FactsWindow, type SessionFactRow } from './read-attribution-facts.js';

// A journey is built from its person's sessions (the converter and every visitor linked to it
// through identify, transitively). attributionFacts reads every session of the window, because
// Markov needs the people who did not convert; the other models need only the converters, a few
// percent of them. The recursive CTE walks from the window's converting visitors over identity
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
const sqlitePeople = (select: string): string => `WITH RECURSIVE acct(k) AS (SELECT key FROM accounts WHERE id = @account),
  person(visitor_id) AS (
    SELECT c.visitor_id FROM acct JOIN conversions c ON c.account_key = acct.k AND c.occurred_at >= @from AND c.occurred_at < @to
    UNION
    SELECT i2.visitor_id FROM person p CROSS JOIN acct
      CROSS JOIN identities i1 INDEXED BY identities_by_visitor ON i1.account_key = acct.k AND i1.visitor_id = p.visitor_id
      CROSS JOIN identities i2 ON i2.account_key = acct.k AND i2.user_id = i1.user_id
  )
  ${select}`;
const SQLITE_CONVERSIONS = `SELECT c.id, c.visitor_id AS visitorId, c.session_id AS sessionId, c.occurred_at AS timestamp, c.revenue
  FROM accounts a JOIN conversions c ON c.account_key = a.key
  WHERE a.id = @account AND c.occurred_at >= @from AND c.occurred_at < @to ORDER BY c.occurred_at, c.id`;
const sqliteSessions = (dimension: AttributionDimension): string => sqlitePeople(`SELECT s.id, s.visitor_id AS visitorId,
    s.started_at AS startedAt, s.channel, s.utm, ${dimensionColumns('sqlite', dimension, 's.')}
  FROM person p CROSS JOIN acct CROSS JOIN sessions s ON s.account_key = acct.k AND s.visitor_id = p.visitor_id
  WHERE s.started_at >= @start AND s.started_at <= @to
  ORDER BY s.started_at DESC LIMIT @limit`);
const SQLITE_LINKS = sqlitePeople(`SELECT i.user_id AS userId, i.visitor_id AS visitorId
  FROM person p CROSS JOIN acct CROSS JOIN identities i INDEXED BY identities_by_visitor ON i.account_key = acct.k AND i.visitor_id = p.visitor_id`);

const pgPeople = (select: string): string => `WITH RECURSIVE acct(k) AS (SELECT key FROM accounts WHERE id = $1),
  person(visitor_id) AS (
    SELECT c.visitor_id FROM acct JOIN conversions c ON c.account_key = acct.k AND c.occurred_at >= $2 AND c.occurred_at < $3
    UNION
    SELECT i2.visitor_id FROM person p CROSS JOIN acct
      CROSS JOIN LATERAL (SELECT i1.user_id FROM identities i1 WHERE i1.account_key = acct.k AND i1.visitor_id = p.visitor_id OFFSET 0) i1
      CROSS JOIN LATERAL (SELECT i2.visitor_id FROM identities i2 WHERE i2.account_key = acct.k AND i2.user_id = i1.user_id OFFSET 0) i2
  )
  ${select}`;
const PG_CONVERSIONS = `SELECT c.id, c.visitor_id AS "visitorId", c.session_id AS "sessionId", c.occurred_at AS timestamp, c.revenue
  FROM accounts a JOIN conversions c ON c.account_key = a.key
  WHERE a.id = $1 AND c.occurred_at >= $2 AND c.occurred_at < $3 ORDER BY c.occurred_at, c.id`;
const pgSessions = (dimension: AttributionDimension): string => pgPeople(`SELECT s.id, s.visitor_id AS "visitorId",
    s.started_at AS "startedAt", s.channel, s.utm, ${dimensionColumns('postgres', dimension, 's.')}
  FROM person p CROSS JOIN acct
    CROSS JOIN LATERAL (SELECT * FROM sessions s WHERE s.account_key = acct.k AND s.visitor_id = p.visitor_id
      AND s.started_at >= $4 AND s.started_at <= $3 OFFSET 0) s
  ORDER BY s.started_at DESC LIMIT $5`);
const PG_LINKS = pgPeople(`SELECT i.user_id AS "userId", i.visitor_id AS "visitorId"
  FROM person p CROSS JOIN acct
    CROSS JOIN LATERAL (SELECT * FROM identities i WHERE i.account_key = acct.k AND i.visitor_id = p.visitor_id OFFSET 0) i`);

type Conversion = AttributionFacts['conversions'][number];
type Link = AttributionFacts['links'][number];

/** The same answer as attributionFacts for every journey: equal journeys whenever neither is truncated. */
export function readConverterFacts(conn: Connection, accountId: string, w: FactsWindow): Promise<AttributionFacts> {
  const dimension = w.dimension ?? 'channel';
  const start = w.from - w.lookbackMs;
  return runQuery(conn, 'converterFacts', {
    sqlite: (c) => c.db.transaction(() => {
      const args = { account: accountId, from: w.from, to: w.to, start, limit: w.maxSessions + 1 };
      const conversions = c.statement<[Record<string, unknown>], Conversion>(SQLITE_CONVERSIONS).all(args);
      const sessions = c.statement<[Record<string, unknown>], SessionFactRow>(sqliteSessions(dimension)).all(args).map(toFactSession(dimension));
      const links = c.statement<[Record<string, unknown>], Link>(SQLITE_LINKS).all(args);
      const truncated = sessions.length > w.maxSessions;
      return { conversions, sessions: truncated ? sessions.slice(0, w.maxSessions) : sessions, links, truncated };
    }).deferred(),
    postgres: (c) => c.transaction(async (client) => {
      // As journeyFacts: the walk's estimate triggers JIT compilation worth more than the query (read-journey-facts.ts).
      await client.query('SET LOCAL jit = off');
      const conversions = (await client.query<Conversion>(PG_CONVERSIONS, [accountId, w.from, w.to])).rows;
      const sessions = (await client.query<SessionFactRow>(pgSessions(dimension), [accountId, w.from, w.to, start, w.maxSessions + 1])).rows.map(toFactSession(dimension));
      const links = (await client.query<Link>(PG_LINKS, [accountId, w.from, w.to])).rows;
      const truncated = sessions.length > w.maxSessions;
      return { conversions, sessions: truncated ? sessions.slice(0, w.maxSessions) : sessions, links, truncated };
    }, { isolation: 'repeatable read', readOnly: true }),
  });
}
