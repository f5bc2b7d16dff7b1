// refreshJourneys: one bounded step of the journey refresher: rebuilds from raw rows the journey_touches of every conversion of the persons of up to `limit` marked visitors.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import { walHasRoom, type SqliteConnection } from '../../dialects/sqlite-connection.js';
import { walkCtes } from '../attribution/person-walk-sql.js';
import {
  pgDropPersonPaths,
  pgRebuildPersonPaths,
  sqliteDropPersonPaths,
  sqliteRebuildPersonPaths,
} from './person-paths.js';

/** One step of the journey refresher (see Storage.refreshJourneys). */
export interface JourneyRefreshStep {
  /** Marked visitors taken (their marks deleted unless marked again meanwhile, or held). */
  visitors: number;
  /** Conversions whose touches were rebuilt. */
  conversions: number;
  /** True when fewer than `limit` marks were left and all were taken (or another collector's refresher holds the turn, or the step was deferred). */
  done: boolean;
  /** True when the step stopped because the SQLite write-ahead log is at its bound (a long reader pins it); the next run tries again. */
  deferred?: boolean;
  /** Persons found too large to materialize this step: their touches dropped, one held mark each (read live). */
  held?: number;
}

/** The bounds of one refresher step (Storage.refreshJourneys); the defaults are the constants below. */
export interface JourneyRefreshOptions {
  /** Marks taken per step. */
  limit: number;
  /** A person of more visitors is not materialized. */
  maxPersonVisitors?: number;
  /** A person whose touches could pass this many rows (conversions times sessions in their span) is not materialized. */
  maxPersonTouches?: number;
  /** A step ends after the person that brings its work (touch rows written or dropped) to this many. */
  stepTouches?: number;
}

/** A conversion's touches are its person's sessions started in [t - this, t] (the largest lookback), and its own session. */
export const TOUCH_SPAN_MS = 90 * 86_400_000;

/**
 * Persons past either bound are read live instead (docs/read-model.md, "Persons read live"): a
 * person's touch rows are its conversions times its sessions, so one user id shared by thousands of
 * visitors (a test account, a sign-in bug) would be tens of millions of rows rebuilt at each of its
 * marks, in one transaction the WAL bound cannot stop (measured: a 6,390-visitor person in the 1M
 * WAL soak, docs/wal-bound.md). A live read of that person costs its sessions, not their product.
 */
export const MATERIALIZE_MAX_VISITORS = 1_000;
export const MATERIALIZE_MAX_TOUCHES = 50_000;
/** Work per step: a step's write transaction stays a few megabytes of log whatever the persons are. */
export const STEP_TOUCHES = 20_000;

interface Bounds {
  limit: number;
  visitors: number;
  touches: number;
  step: number;
}
const bounds = (o: JourneyRefreshOptions): Bounds => ({
  limit: o.limit,
  visitors: o.maxPersonVisitors ?? MATERIALIZE_MAX_VISITORS,
  touches: o.maxPersonTouches ?? MATERIALIZE_MAX_TOUCHES,
  step: o.stepTouches ?? STEP_TOUCHES,
});

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

/**
 * How many sessions bound a person's touches: those started in [oldest conversion - span, newest
 * conversion], counted up to the first that would take conversions x sessions past the bound.
 */
function sessionCap(
  conversions: readonly Conversion[],
  maxTouches: number,
): { start: number; end: number; cap: number } {
  let start = Infinity;
  let end = -Infinity;
  for (const c of conversions) {
    start = Math.min(start, Number(c.at) - TOUCH_SPAN_MS);
    end = Math.max(end, Number(c.at));
  }
  return { start, end, cap: Math.floor(maxTouches / conversions.length) };
}

/**
 * Rows (visitors and user ids) a refresher walk reads at most. The walk is linear in them (~3 us a
 * row), so a held person is walked whole up to here and all its marks go with one hold; past it
 * each cut walk holds what it reached. Walk rows count as step work, so a step stays bounded.
 */
export const WALK_ROWS = 100_000;

/** A walk's visitors, or null when the person is past the visitor bound (or the walk was cut). */
function walkedVisitors(rows: ReadonlyArray<{ kind: number; id: string }>, b: Bounds): string[] | null {
  if (rows.length >= WALK_ROWS) return null;
  const visitors = rows.filter((r) => Number(r.kind) === 0).map((r) => r.id);
  return visitors.length > b.visitors ? null : visitors;
}

/** What the refresher does with a walked person: rebuild its conversions' touches (`work` rows at most), or hold it live. */
type Verdict = { kind: 'rebuild'; conversions: Conversion[]; work: number } | { kind: 'hold' };

/**
 * Rebuild when conversions x (sessions in their span + the own session) stays under the touch
 * bound; `counted` is sessionCap's count (it stops one past the bound).
 */
function weigh(conversions: Conversion[], counted: number, b: Bounds): Verdict {
  const work = conversions.length * (counted + 1);
  return work > b.touches ? { kind: 'hold' } : { kind: 'rebuild', conversions, work };
}

// Most marks are visitors with a new session and no link or conversion: their person is themselves,
// with no journey to rebuild, so they are only unmarked (most of the marks on the demo data). Held
// marks are skipped: their persons are read live until a new mark clears the flag.
const SQLITE_MARKS = `SELECT d.account_key AS accountKey, d.visitor_id AS visitorId, d.version,
    EXISTS (SELECT 1 FROM identities i INDEXED BY identities_by_visitor WHERE i.account_key = d.account_key AND i.visitor_id = d.visitor_id)
    OR EXISTS (SELECT 1 FROM conversions c INDEXED BY conversions_by_visitor WHERE c.account_key = d.account_key AND c.visitor_id = d.visitor_id) AS linked
  FROM journey_dirty d WHERE d.live = 0 ORDER BY d.account_key, d.visitor_id LIMIT ?`;
// The identify walk of person-walk-sql.ts, by account key, bounded by WALK_ROWS: a walk cut there
// (or with more visitors than the bound) is a person held live.
const SQLITE_PERSON = `WITH RECURSIVE ${walkCtes('sqlite', 'SELECT @visitor AS visitor_id', '@k', WALK_ROWS)}
  SELECT kind, id FROM walk`;
const SQLITE_CONVERSIONS = `SELECT c.id, c.occurred_at AS at, c.session_id AS own FROM json_each(?) AS p
  CROSS JOIN conversions c INDEXED BY conversions_by_visitor ON c.account_key = ? AND c.visitor_id = p.value`;
// The count reads only columns sessions_by_activity covers, and SQLite then scanned that index over
// the whole account for every visitor (measured: 64 ms a person on the 90-day x 5,000/day demo file,
// most of the refresher's time); INDEXED BY keeps a key by (account, visitor), here the one that
// also holds started_at (sqlite 028), so the count is a range of the index alone.
const SQLITE_SESSIONS = `SELECT COUNT(*) AS n FROM (SELECT 1 FROM json_each(@visitors) AS p
    CROSS JOIN sessions s INDEXED BY sessions_by_visitor_start ON s.account_key = @k AND s.visitor_id = p.value
  WHERE s.started_at >= @start AND s.started_at <= @end LIMIT @cap)`;
const SQLITE_CLEAR = 'DELETE FROM journey_touches WHERE account_key = ? AND conversion_id = ?';
const SQLITE_TOUCHES = `INSERT INTO journey_touches (account_key, conversion_id, visitor_id, session_id)
  SELECT @k, @conversion, s.visitor_id, s.id FROM json_each(@visitors) AS p
    CROSS JOIN sessions s ON s.account_key = @k AND s.visitor_id = p.value
  WHERE (s.started_at >= @start AND s.started_at <= @at) OR s.id = @own
  ON CONFLICT DO NOTHING`;
const SQLITE_UNMARK = 'DELETE FROM journey_dirty WHERE account_key = ? AND visitor_id = ? AND version = ?';
// The marks of a person about to be rebuilt, read before the rebuild: the rebuild covers them all,
// so each is deleted at the version read here (one rebuild per person, not one per marked visitor:
// a 300-visitor person with every visitor marked was rebuilt 300 times, measured: 3.9 s to catch up).
const SQLITE_PERSON_MARKS = `SELECT d.visitor_id AS visitorId, d.version FROM json_each(@visitors) AS p
  CROSS JOIN journey_dirty d ON d.account_key = @k AND d.visitor_id = p.value WHERE d.live = 0`;
// A person rebuilt whole needs no held mark any more.
const SQLITE_RELEASE = `DELETE FROM journey_dirty WHERE account_key = @k AND live = 1
  AND visitor_id IN (SELECT value FROM json_each(@visitors))`;
// Holding a person: its walked visitors' conversions lose their touches (reads drop a live
// person's touches anyway; this keeps none of them stale), one mark is held (an existing held one,
// or this one at the version read) and the walked visitors' other marks go: the held mark's live
// walk covers their changes, as it covers the whole person, walked past the bound or not.
const SQLITE_DROP_TOUCHES = `DELETE FROM journey_touches WHERE account_key = @k AND conversion_id IN (
  SELECT c.id FROM json_each(@visitors) AS p CROSS JOIN conversions c INDEXED BY conversions_by_visitor
    ON c.account_key = @k AND c.visitor_id = p.value)`;
const SQLITE_HELD = `SELECT d.visitor_id AS v FROM json_each(@visitors) AS p
  CROSS JOIN journey_dirty d ON d.account_key = @k AND d.visitor_id = p.value WHERE d.live = 1 LIMIT 1`;
const SQLITE_HOLD = 'UPDATE journey_dirty SET live = 1 WHERE account_key = ? AND visitor_id = ? AND version = ?';
const SQLITE_DROP_MARKS = `DELETE FROM journey_dirty WHERE account_key = @k AND visitor_id <> @keep
  AND visitor_id IN (SELECT value FROM json_each(@visitors))`;

function sqliteRefresh(c: SqliteConnection, b: Bounds): JourneyRefreshStep {
  // Marks wait (reads stay exact through the live path) while a long reader pins the log at its bound.
  if (!walHasRoom(c)) return { visitors: 0, conversions: 0, done: true, deferred: true };
  return c.db
    .transaction((): JourneyRefreshStep => {
      const marks = c.statement<[number], Mark>(SQLITE_MARKS).all(b.limit);
      let taken = 0;
      let conversions = 0;
      let held = 0;
      let work = 0;
      let deferred = false;
      // Marks of persons held earlier in this step: deleted with the hold, nothing left to do.
      const covered = new Set<string>();
      for (const m of marks) {
        // The budget is checked between persons: one person is at most the touch bound.
        if (work >= b.step) break;
        if (taken > 0 && !walHasRoom(c)) {
          deferred = true;
          break;
        }
        taken += 1;
        if (covered.has(`${m.accountKey}\u0000${m.visitorId}`)) continue;
        if (!m.linked) {
          c.statement(SQLITE_UNMARK).run(m.accountKey, m.visitorId, m.version);
          // A visitor without links is a person by itself: no person-path rows (an alias ghost's go).
          sqliteDropPersonPaths(c, m.accountKey, JSON.stringify([m.visitorId]));
          continue;
        }
        const k = m.accountKey;
        const rows = c
          .statement<[Record<string, unknown>], { kind: number; id: string }>(SQLITE_PERSON)
          .all({ visitor: m.visitorId, k });
        const walked = walkedVisitors(rows, b);
        const list = walked ?? rows.filter((r) => r.kind === 0).map((r) => r.id);
        const visitors = JSON.stringify(list);
        const verdict = ((): Verdict => {
          if (walked === null) return { kind: 'hold' };
          const convs = c.statement<[string, number], Conversion>(SQLITE_CONVERSIONS).all(visitors, k);
          if (convs.length === 0) return { kind: 'rebuild', conversions: [], work: 0 };
          const span = sessionCap(convs, b.touches);
          const counted = c
            .statement<[Record<string, unknown>], { n: number }>(SQLITE_SESSIONS)
            .get({ ...span, visitors, k });
          return weigh(convs, counted?.n ?? 0, b);
        })();
        if (verdict.kind === 'hold') {
          work += c.statement(SQLITE_DROP_TOUCHES).run({ k, visitors }).changes + rows.length;
          work += sqliteDropPersonPaths(c, k, visitors);
          const keep =
            c.statement<[Record<string, unknown>], { v: string }>(SQLITE_HELD).get({ k, visitors })?.v ?? m.visitorId;
          if (keep === m.visitorId) c.statement(SQLITE_HOLD).run(k, m.visitorId, m.version);
          c.statement(SQLITE_DROP_MARKS).run({ k, visitors, keep });
          for (const v of list) covered.add(`${k}\u0000${v}`);
          held += 1;
          continue;
        }
        const personMarks = c
          .statement<[Record<string, unknown>], { visitorId: string; version: number }>(SQLITE_PERSON_MARKS)
          .all({ k, visitors });
        for (const conv of verdict.conversions) {
          c.statement(SQLITE_CLEAR).run(k, conv.id);
          c.statement(SQLITE_TOUCHES).run({
            k,
            conversion: conv.id,
            visitors,
            start: conv.at - TOUCH_SPAN_MS,
            at: conv.at,
            own: conv.own,
          });
          conversions += 1;
        }
        work += verdict.work + sqliteRebuildPersonPaths(c, k, list);
        for (const x of personMarks) c.statement(SQLITE_UNMARK).run(k, x.visitorId, x.version);
        c.statement(SQLITE_RELEASE).run({ k, visitors });
        for (const v of list) covered.add(`${k}\u0000${v}`);
      }
      return {
        visitors: taken,
        conversions,
        done: deferred || (taken === marks.length && marks.length < b.limit),
        ...(deferred ? { deferred } : {}),
        ...(held > 0 ? { held } : {}),
      };
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
  FROM journey_dirty d WHERE NOT d.live ORDER BY d.account_key, d.visitor_id LIMIT $1`;
const PG_UNMARK_ALL = `DELETE FROM journey_dirty d USING unnest($1::integer[], $2::text[], $3::bigint[]) AS x (k, v, version)
  WHERE d.account_key = x.k AND d.visitor_id = x.v AND d.version = x.version`;
const PG_PERSON = `WITH RECURSIVE ${walkCtes('postgres', 'SELECT $2::text COLLATE "C" AS visitor_id', '$1')}
  SELECT kind, id FROM walk LIMIT $3`;
const PG_CONVERSIONS = `SELECT c.id, c.occurred_at AS at, c.session_id AS own FROM unnest($2::text[]) AS p (v)
  CROSS JOIN LATERAL (SELECT * FROM conversions c WHERE c.account_key = $1 AND c.visitor_id = p.v OFFSET 0) c`;
const PG_SESSIONS = `SELECT COUNT(*)::integer AS n FROM (SELECT 1 FROM unnest($2::text[]) AS p (v)
    CROSS JOIN LATERAL (SELECT 1 FROM sessions s WHERE s.account_key = $1 AND s.visitor_id = p.v
      AND s.started_at >= $3 AND s.started_at <= $4 OFFSET 0) s LIMIT $5) x`;
const PG_CLEAR = 'DELETE FROM journey_touches WHERE account_key = $1 AND conversion_id = ANY($2::text[])';
const PG_TOUCHES = `INSERT INTO journey_touches (account_key, conversion_id, visitor_id, session_id)
  SELECT $1, x.id, s.visitor_id, s.id FROM unnest($3::text[], $4::bigint[], $5::text[]) AS x (id, at, own)
    CROSS JOIN unnest($2::text[]) AS p (v)
    CROSS JOIN LATERAL (SELECT * FROM sessions s WHERE s.account_key = $1 AND s.visitor_id = p.v OFFSET 0) s
  WHERE (s.started_at >= x.at - ${TOUCH_SPAN_MS} AND s.started_at <= x.at) OR s.id = x.own
  ON CONFLICT DO NOTHING`;
const PG_PERSON_MARKS = `SELECT visitor_id AS "visitorId", version::text AS version FROM journey_dirty
  WHERE account_key = $1 AND visitor_id = ANY($2::text[]) AND NOT live`;
// As SQLite's RELEASE, DROP_TOUCHES, HELD, HOLD and DROP_MARKS. A held mark bumped meanwhile has
// lost its flag, so RELEASE keeps it (the refresher weighs it again); the marks DROP_MARKS deletes
// without their versions are covered by the held one, whose live walk reaches whatever changed them.
const PG_RELEASE = 'DELETE FROM journey_dirty WHERE account_key = $1 AND live AND visitor_id = ANY($2::text[])';
const PG_DROP_TOUCHES = `DELETE FROM journey_touches WHERE account_key = $1 AND conversion_id IN (
  SELECT c.id FROM unnest($2::text[]) AS p (v)
    CROSS JOIN LATERAL (SELECT c.id FROM conversions c WHERE c.account_key = $1 AND c.visitor_id = p.v OFFSET 0) c)`;
const PG_HELD = `SELECT d.visitor_id AS v FROM journey_dirty d
  WHERE d.account_key = $1 AND d.live AND d.visitor_id = ANY($2::text[]) LIMIT 1`;
const PG_HOLD =
  'UPDATE journey_dirty SET live = true WHERE account_key = $1 AND visitor_id = $2 AND version = $3::bigint';
const PG_DROP_MARKS = `DELETE FROM journey_dirty WHERE account_key = $1 AND visitor_id <> $3
  AND visitor_id = ANY($2::text[])`;

// READ COMMITTED: a statement may see a write that committed after the marks were read, but every
// such write bumps a mark of the changed person, which then survives its version check here.
async function pgRefresh(client: PgQueryable, b: Bounds): Promise<JourneyRefreshStep> {
  const locked = (await client.query<{ locked: boolean }>(PG_TRY_LOCK)).rows[0]?.locked === true;
  if (!locked) return { visitors: 0, conversions: 0, done: true };
  await client.query('SET LOCAL jit = off'); // short index lookups (see journey-facts.ts)
  const marks = (await client.query<Mark>(PG_MARKS, [b.limit])).rows;
  const alone = marks.filter((m) => !m.linked);
  if (alone.length > 0)
    await client.query(PG_UNMARK_ALL, [
      alone.map((m) => m.accountKey),
      alone.map((m) => m.visitorId),
      alone.map((m) => m.version),
    ]);
  // As SQLite: a visitor without links has no person-path rows (an alias ghost's go).
  for (const k of new Set(alone.map((m) => m.accountKey)))
    await pgDropPersonPaths(
      client,
      k,
      alone.filter((m) => m.accountKey === k).map((m) => m.visitorId),
    );
  const linked = marks.filter((x) => x.linked);
  let taken = 0;
  let conversions = 0;
  let held = 0;
  let work = 0;
  const covered = new Set<string>(); // as in sqliteRefresh
  for (const m of linked) {
    if (work >= b.step) break;
    taken += 1;
    if (covered.has(`${m.accountKey}\u0000${m.visitorId}`)) continue;
    const k = m.accountKey;
    const rows = (await client.query<{ kind: number; id: string }>(PG_PERSON, [k, m.visitorId, WALK_ROWS])).rows;
    const walked = walkedVisitors(rows, b);
    const visitors = walked ?? rows.filter((r) => Number(r.kind) === 0).map((r) => r.id);
    let verdict: Verdict = { kind: 'hold' };
    if (walked !== null) {
      const convs = (await client.query<Conversion>(PG_CONVERSIONS, [k, visitors])).rows;
      verdict = { kind: 'rebuild', conversions: convs, work: 0 };
      if (convs.length > 0) {
        const span = sessionCap(convs, b.touches);
        const counted = (await client.query<{ n: number }>(PG_SESSIONS, [k, visitors, span.start, span.end, span.cap]))
          .rows[0]?.n;
        verdict = weigh(convs, counted ?? 0, b);
      }
    }
    if (verdict.kind === 'hold') {
      work += ((await client.query(PG_DROP_TOUCHES, [k, visitors])).rowCount ?? 0) + rows.length;
      work += await pgDropPersonPaths(client, k, visitors);
      const keep = (await client.query<{ v: string }>(PG_HELD, [k, visitors])).rows[0]?.v ?? m.visitorId;
      if (keep === m.visitorId) await client.query(PG_HOLD, [k, m.visitorId, m.version]);
      await client.query(PG_DROP_MARKS, [k, visitors, keep]);
      for (const v of visitors) covered.add(`${k}\u0000${v}`);
      held += 1;
      continue;
    }
    // As SQLite's PERSON_MARKS: read before the rebuild, so a write committed after this read bumps
    // its mark past the version deleted below, and the mark survives.
    const personMarks = (await client.query<{ visitorId: string; version: string }>(PG_PERSON_MARKS, [k, visitors]))
      .rows;
    const convs = verdict.conversions;
    if (convs.length > 0) {
      const ids = convs.map((x) => x.id);
      await client.query(PG_CLEAR, [k, ids]);
      await client.query(PG_TOUCHES, [k, visitors, ids, convs.map((x) => Number(x.at)), convs.map((x) => x.own)]);
    }
    conversions += convs.length;
    work += verdict.work + (await pgRebuildPersonPaths(client, k, visitors));
    if (personMarks.length > 0)
      await client.query(PG_UNMARK_ALL, [
        personMarks.map(() => k),
        personMarks.map((x) => x.visitorId),
        personMarks.map((x) => x.version),
      ]);
    await client.query(PG_RELEASE, [k, visitors]);
    for (const v of visitors) covered.add(`${k}\u0000${v}`);
  }
  return {
    visitors: alone.length + taken,
    conversions,
    done: taken === linked.length && marks.length < b.limit,
    ...(held > 0 ? { held } : {}),
  };
}

/**
 * One step, one transaction: takes up to `limit` marked visitors, walks each linked one's person, and
 * either rebuilds every conversion of that person (deletes and re-inserts its touches from the raw
 * rows, then deletes the mark at the version it read) or, past the bounds, holds the person live.
 * The step ends early once its work reaches `stepTouches`. Idempotent: running it again rebuilds the
 * same rows.
 */
export function refreshJourneys(conn: Connection, options: JourneyRefreshOptions): Promise<JourneyRefreshStep> {
  const b = bounds(options);
  return runQuery(conn, 'refreshJourneys', {
    sqlite: (c) => sqliteRefresh(c, b),
    postgres: (c) => c.transaction((client) => pgRefresh(client, b)),
  });
}
