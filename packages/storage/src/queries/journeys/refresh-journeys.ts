// refreshJourneys: one bounded step of the journey refresher: rebuilds from raw rows the journey_touches of every conversion of the persons of up to `limit` marked visitors.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import { walHasRoom, type SqliteConnection } from '../../dialects/sqlite-connection.js';
import { MAX_VISITORS } from '../attribution/person-sessions.js';

/** One step of the journey refresher (see Storage.refreshJourneys). */
export interface JourneyRefreshStep {
  /** Marked visitors taken (their marks deleted unless marked again meanwhile). */
  visitors: number;
  /** Conversions whose touches were rebuilt. */
  conversions: number;
  /** True when fewer than `limit` marks were left (or another collector's refresher holds the turn, or the step was deferred). */
  done: boolean;
  /** True when the step wrote nothing because the SQLite write-ahead log is at its bound (a long reader pins it); the next run tries again. */
  deferred?: boolean;
}

/** A conversion's touches are its person's sessions started in [t - this, t] (the largest lookback), and its own session. */
export const TOUCH_SPAN_MS = 90 * 86_400_000;

/** A mark; `linked`: its visitor has an identify link or a conversion (else its person is itself, with nothing to rebuild). */
interface Mark {
  accountKey: number;
  visitorId: string;
  version: number | string;
  linked: number | boolean;
}
interface Conversion {
  id: string;
  at: number;
  own: string | null;
}

// Most marks are visitors with a new session and no link or conversion: their person is themselves,
// with no journey to rebuild, so they are only unmarked (most of the marks on the demo data).
const SQLITE_MARKS = `SELECT d.account_key AS accountKey, d.visitor_id AS visitorId, d.version,
    EXISTS (SELECT 1 FROM identities i INDEXED BY identities_by_visitor WHERE i.account_key = d.account_key AND i.visitor_id = d.visitor_id)
    OR EXISTS (SELECT 1 FROM conversions c INDEXED BY conversions_by_visitor WHERE c.account_key = d.account_key AND c.visitor_id = d.visitor_id) AS linked
  FROM journey_dirty d ORDER BY d.account_key, d.visitor_id LIMIT ?`;
// The person walk of person-sessions.ts, by account key (CROSS JOIN and INDEXED BY hold its plan).
const SQLITE_PERSON = `WITH RECURSIVE person(visitor_id) AS (
    SELECT @visitor
    UNION
    SELECT i2.visitor_id FROM person p
      CROSS JOIN identities i1 INDEXED BY identities_by_visitor ON i1.account_key = @k AND i1.visitor_id = p.visitor_id
      CROSS JOIN identities i2 ON i2.account_key = @k AND i2.user_id = i1.user_id
    LIMIT ${MAX_VISITORS}
  ) SELECT visitor_id AS v FROM person`;
const SQLITE_CONVERSIONS = `SELECT c.id, c.occurred_at AS at, c.session_id AS own FROM json_each(?) AS p
  CROSS JOIN conversions c INDEXED BY conversions_by_visitor ON c.account_key = ? AND c.visitor_id = p.value`;
const SQLITE_CLEAR = 'DELETE FROM journey_touches WHERE account_key = ? AND conversion_id = ?';
const SQLITE_TOUCHES = `INSERT INTO journey_touches (account_key, conversion_id, visitor_id, session_id)
  SELECT @k, @conversion, s.visitor_id, s.id FROM json_each(@visitors) AS p
    CROSS JOIN sessions s ON s.account_key = @k AND s.visitor_id = p.value
  WHERE (s.started_at >= @start AND s.started_at <= @at) OR s.id = @own
  ON CONFLICT DO NOTHING`;
const SQLITE_UNMARK = 'DELETE FROM journey_dirty WHERE account_key = ? AND visitor_id = ? AND version = ?';

function sqliteRefresh(c: SqliteConnection, limit: number): JourneyRefreshStep {
  // Marks wait (reads stay exact through the live path) while a long reader pins the log at its bound.
  if (!walHasRoom(c)) return { visitors: 0, conversions: 0, done: true, deferred: true };
  return c.db
    .transaction((): JourneyRefreshStep => {
      const marks = c.statement<[number], Mark>(SQLITE_MARKS).all(limit);
      let conversions = 0;
      for (const m of marks) {
        if (!m.linked) {
          c.statement(SQLITE_UNMARK).run(m.accountKey, m.visitorId, m.version);
          continue;
        }
        const visitors = JSON.stringify(
          c
            .statement<[Record<string, unknown>], { v: string }>(SQLITE_PERSON)
            .all({ visitor: m.visitorId, k: m.accountKey })
            .map((r) => r.v),
        );
        for (const conv of c.statement<[string, number], Conversion>(SQLITE_CONVERSIONS).all(visitors, m.accountKey)) {
          c.statement(SQLITE_CLEAR).run(m.accountKey, conv.id);
          c.statement(SQLITE_TOUCHES).run({
            k: m.accountKey,
            conversion: conv.id,
            visitors,
            start: conv.at - TOUCH_SPAN_MS,
            at: conv.at,
            own: conv.own,
          });
          conversions += 1;
        }
        c.statement(SQLITE_UNMARK).run(m.accountKey, m.visitorId, m.version);
      }
      return { visitors: marks.length, conversions, done: marks.length < limit };
    })
    .immediate();
}

// One refresher at a time per schema (advisory locks are per database, so the key hashes the
// schema): several collectors on one PostgreSQL each run one, and the others skip their step
// rather than rebuild the same conversions concurrently.
const PG_TRY_LOCK =
  "SELECT pg_try_advisory_xact_lock(hashtextextended('touchline journeys/' || current_schema(), 0)) AS locked";
const PG_MARKS = `SELECT d.account_key AS "accountKey", d.visitor_id AS "visitorId", d.version::text AS version,
    EXISTS (SELECT 1 FROM identities i WHERE i.account_key = d.account_key AND i.visitor_id = d.visitor_id)
    OR EXISTS (SELECT 1 FROM conversions c WHERE c.account_key = d.account_key AND c.visitor_id = d.visitor_id) AS linked
  FROM journey_dirty d ORDER BY d.account_key, d.visitor_id LIMIT $1`;
const PG_UNMARK_ALL = `DELETE FROM journey_dirty d USING unnest($1::integer[], $2::text[], $3::bigint[]) AS x (k, v, version)
  WHERE d.account_key = x.k AND d.visitor_id = x.v AND d.version = x.version`;
const PG_PERSON = `WITH RECURSIVE person(visitor_id) AS (
    SELECT $2::text COLLATE "C"
    UNION
    SELECT i2.visitor_id FROM person p
      CROSS JOIN LATERAL (SELECT i1.user_id FROM identities i1 WHERE i1.account_key = $1 AND i1.visitor_id = p.visitor_id OFFSET 0) i1
      CROSS JOIN LATERAL (SELECT i2.visitor_id FROM identities i2 WHERE i2.account_key = $1 AND i2.user_id = i1.user_id OFFSET 0) i2
  ) SELECT visitor_id AS v FROM person LIMIT ${MAX_VISITORS}`;
const PG_CONVERSIONS = `SELECT c.id, c.occurred_at AS at, c.session_id AS own FROM unnest($2::text[]) AS p (v)
  CROSS JOIN LATERAL (SELECT * FROM conversions c WHERE c.account_key = $1 AND c.visitor_id = p.v OFFSET 0) c`;
const PG_CLEAR = 'DELETE FROM journey_touches WHERE account_key = $1 AND conversion_id = ANY($2::text[])';
const PG_TOUCHES = `INSERT INTO journey_touches (account_key, conversion_id, visitor_id, session_id)
  SELECT $1, x.id, s.visitor_id, s.id FROM unnest($3::text[], $4::bigint[], $5::text[]) AS x (id, at, own)
    CROSS JOIN unnest($2::text[]) AS p (v)
    CROSS JOIN LATERAL (SELECT * FROM sessions s WHERE s.account_key = $1 AND s.visitor_id = p.v OFFSET 0) s
  WHERE (s.started_at >= x.at - ${TOUCH_SPAN_MS} AND s.started_at <= x.at) OR s.id = x.own
  ON CONFLICT DO NOTHING`;
const PG_UNMARK = 'DELETE FROM journey_dirty WHERE account_key = $1 AND visitor_id = $2 AND version = $3::bigint';

// READ COMMITTED: a statement may see a write that committed after the marks were read, but every
// such write bumps a mark of the changed person, which then survives its version check here.
async function pgRefresh(client: PgQueryable, limit: number): Promise<JourneyRefreshStep> {
  const locked = (await client.query<{ locked: boolean }>(PG_TRY_LOCK)).rows[0]?.locked === true;
  if (!locked) return { visitors: 0, conversions: 0, done: true };
  await client.query('SET LOCAL jit = off'); // short index lookups (see journey-facts.ts)
  const marks = (await client.query<Mark>(PG_MARKS, [limit])).rows;
  const alone = marks.filter((m) => !m.linked);
  if (alone.length > 0)
    await client.query(PG_UNMARK_ALL, [
      alone.map((m) => m.accountKey),
      alone.map((m) => m.visitorId),
      alone.map((m) => m.version),
    ]);
  let conversions = 0;
  for (const m of marks.filter((x) => x.linked)) {
    const visitors = (await client.query<{ v: string }>(PG_PERSON, [m.accountKey, m.visitorId])).rows.map((r) => r.v);
    const convs = (await client.query<Conversion>(PG_CONVERSIONS, [m.accountKey, visitors])).rows;
    if (convs.length > 0) {
      const ids = convs.map((x) => x.id);
      await client.query(PG_CLEAR, [m.accountKey, ids]);
      await client.query(PG_TOUCHES, [
        m.accountKey,
        visitors,
        ids,
        convs.map((x) => Number(x.at)),
        convs.map((x) => x.own),
      ]);
    }
    conversions += convs.length;
    await client.query(PG_UNMARK, [m.accountKey, m.visitorId, m.version]);
  }
  return { visitors: marks.length, conversions, done: marks.length < limit };
}

/**
 * One step, one transaction: takes up to `limit` marked visitors, walks each linked one's person, and for
 * every conversion of that person deletes and re-inserts its touches from the raw rows; then deletes
 * the marks at the versions it read. Idempotent: running it again rebuilds the same rows.
 */
export function refreshJourneys(conn: Connection, options: { limit: number }): Promise<JourneyRefreshStep> {
  return runQuery(conn, 'refreshJourneys', {
    sqlite: (c) => sqliteRefresh(c, options.limit),
    postgres: (c) => c.transaction((client) => pgRefresh(client, options.limit)),
  });
}
