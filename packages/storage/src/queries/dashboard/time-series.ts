// timeSeries: one account's visitors, sessions, events, conversions and revenue per time bucket over [from, to).
import { err, ok, type Result } from '@touchline/core';
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import { named, type NamedStatement } from '../../dialects/postgres-named-params.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import { StorageError } from '../../storage-error.js';
import { revenueTotal, type RevenueSums } from '../revenue-sum.js';
import {
  itemArms,
  PG_ARMS,
  plannedParams,
  SQLITE_ARMS,
  unseen,
  type ArmSql,
  type PlannedParams,
} from '../rollups/rollup-arms.js';
import { DIM } from '../rollups/visitor-sets.js';

/** [from, to) cut into buckets of bucketMs, starting at from. */
/**
 * Buckets of `bucketMs` over [from, to). Bucket i is [origin + i * bucketMs, origin + (i + 1) * bucketMs)
 * cut to [from, to), so with an origin before `from` the first (and usually the last) bucket is
 * partial. `origin` must lie in (from - bucketMs, from]; @default from (every bucket whole but the last).
 * An origin on a whole UTC hour (a day, for day buckets) puts every bucket edge on an hour, which
 * the rollups answer without raw rows (docs/read-model.md).
 */
export interface SeriesWindow {
  from: number;
  to: number;
  bucketMs: number;
  origin?: number | undefined;
}

/** One bucket starting at `at` (the later of its edge and `from`): sessions (and their distinct visitors) started in it, items that happened in it. */
export interface SeriesPoint {
  at: number;
  visitors: number;
  sessions: number;
  events: number;
  conversions: number;
  revenue: number;
}

// Buckets are [origin + i * bucket, origin + (i + 1) * bucket) cut to [from, to). Sessions (and their distinct visitors)
// count in the bucket they started in, items in the bucket they happened in. Each arm reads the
// rollups for the whole hours inside one bucket and raw rows for the rest (rollups/hour-plan.ts);
// a raw session's visitor counts only if its bucket's whole hours did not (visitor-sets.ts). A bucket
// whose whole hours are exactly one UTC day (the overview's UTC-day buckets) reads its distinct
// visitors from visitor_days, one row, instead of the day's gap rows. The arms are combined in the
// caller (a bucket with nothing is zero).
function armsSql(a: ArmSql): { sessions: string; visitors: string; events: string; conversions: string } {
  const items = itemArms(a);
  return {
    sessions: `SELECT i, SUM(sessions) AS sessions FROM (
        ${a.dims(DIM.all, 'r.sessions AS sessions')}
        UNION ALL ${a.startedIn('1')}) AS started GROUP BY i`,
    visitors: `SELECT i, SUM(visitors) AS visitors FROM (
        ${a.gaps(DIM.all, 'g.visitors AS visitors', 'notDays')}
        UNION ALL ${a.dayVisitors('d.visitors AS visitors')}
        UNION ALL SELECT i, COUNT(DISTINCT visitor_id) FROM (${a.startedIn(`s.visitor_id AS visitor_id, ${a.pieceSpan}`)}) AS raw
          WHERE ${unseen(a, DIM.all, "''", 'raw.visitor_id', 'raw.sf', 'raw.st')} GROUP BY i) AS counted GROUP BY i`,
    events: `SELECT i, SUM(events) AS events FROM (${items.events}) AS ev GROUP BY i`,
    conversions: `SELECT i, SUM(conversions) AS conversions, COALESCE(SUM(units), 0) AS revenue_units,
        COALESCE(SUM(micros), 0) AS revenue_micros FROM (${items.conversions}) AS cv GROUP BY i`,
  };
}
const SQLITE = armsSql(SQLITE_ARMS);
const PG = armsSql(PG_ARMS);
const PG_SESSIONS = named<keyof Params>(PG.sessions);
const PG_VISITORS = named<keyof Params>(PG.visitors);
// With many raw pieces (buckets counted from an unaligned `from` cut an hour each: ~2 per bucket)
// the raw visitors are thousands, and one hash anti join over the account's visitor_hours beats a
// probe per row (PostgreSQL, bench data: 30 d 1040 ms with the probes against 484 ms without);
// with only the edge pieces (aligned buckets) the probes win, as in stats (rollup-arms.ts).
const PG_VISITORS_MANY_PIECES = named<keyof Params>(armsSql({ ...PG_ARMS, probeFence: '' }).visitors);
const FEW_PIECES = 4;
const PG_EVENTS = named<keyof Params>(PG.events);
const PG_CONVERSIONS = named<keyof Params>(PG.conversions);

type Params = PlannedParams['postgres'];
type Bucketed<T> = T & { i: number };
type SessionCounts = Bucketed<{ sessions: number }>;
type VisitorCounts = Bucketed<{ visitors: number }>;
type EventCounts = Bucketed<{ events: number }>;
type ConversionCounts = Bucketed<{ conversions: number } & RevenueSums>;

/** What the three arms returned, in either dialect. */
interface Arms {
  sessions: SessionCounts[];
  visitors: VisitorCounts[];
  events: EventCounts[];
  conversions: ConversionCounts[];
}

/** At most this many buckets per query, so a tiny bucket over a long range cannot build a huge answer. */
export const MAX_SERIES_POINTS = 2000;

/** Zero points, one per bucket; each `at` is the later of its bucket's edge and `from`. */
function emptySeries(window: SeriesWindow, origin: number, bucket: number): SeriesPoint[] {
  const count = Math.ceil((window.to - origin) / bucket);
  return Array.from({ length: count }, (_, i) => ({
    at: Math.max(window.from, origin + i * bucket),
    visitors: 0,
    sessions: 0,
    events: 0,
    conversions: 0,
    revenue: 0,
  }));
}

/** The window's origin and whole-ms bucket, or why the window is refused. */
function checkedWindow(window: SeriesWindow): Result<{ origin: number; bucket: number }> {
  const where = `timeSeries: [${window.from}, ${window.to}) in buckets of ${window.bucketMs} ms`;
  const origin = window.origin ?? window.from;
  const bucket = Math.floor(window.bucketMs);
  if (!(bucket > 0) || !(window.to > window.from))
    return err(`${where} must be a non-empty range of at most ${MAX_SERIES_POINTS} buckets`);
  if (!Number.isFinite(origin) || origin > window.from || origin <= window.from - bucket) {
    return err(`${where}: origin ${origin} must lie in (from - bucketMs, from]`);
  }
  if ((window.to - origin) / bucket > MAX_SERIES_POINTS)
    return err(`${where} must be a non-empty range of at most ${MAX_SERIES_POINTS} buckets`);
  return ok({ origin, bucket });
}

function sqliteArms(c: SqliteConnection, params: PlannedParams['sqlite']): Arms {
  type P = PlannedParams['sqlite'];
  return {
    sessions: c.statement<[P], SessionCounts>(SQLITE.sessions).all(params),
    visitors: c.statement<[P], VisitorCounts>(SQLITE.visitors).all(params),
    events: c.statement<[P], EventCounts>(SQLITE.events).all(params),
    conversions: c.statement<[P], ConversionCounts>(SQLITE.conversions).all(params),
  };
}

async function pgArms(client: PgQueryable, params: Params): Promise<Arms> {
  const all = async <R>(statement: NamedStatement<keyof Params>): Promise<R[]> =>
    (await client.query(statement.text, statement.values(params))).rows as R[];
  const visitors = params.pieceFrom.length <= FEW_PIECES ? PG_VISITORS : PG_VISITORS_MANY_PIECES;
  return {
    sessions: await all(PG_SESSIONS),
    visitors: await all(visitors),
    events: await all(PG_EVENTS),
    conversions: await all(PG_CONVERSIONS),
  };
}

/** Writes each arm's counts into its bucket of `series`. */
function fill(series: SeriesPoint[], arms: Arms): SeriesPoint[] {
  for (const row of arms.sessions) Object.assign(series[row.i] ?? {}, { sessions: row.sessions });
  for (const row of arms.visitors) Object.assign(series[row.i] ?? {}, { visitors: row.visitors });
  for (const row of arms.events) Object.assign(series[row.i] ?? {}, { events: row.events });
  for (const row of arms.conversions)
    Object.assign(series[row.i] ?? {}, { conversions: row.conversions, revenue: revenueTotal(row) });
  return series;
}

export function timeSeries(conn: Connection, accountId: string, window: SeriesWindow): Promise<SeriesPoint[]> {
  const checked = checkedWindow(window);
  if (checked.kind === 'err') return Promise.reject(new StorageError('query_failed', checked.error));
  const { origin, bucket } = checked.value;
  const params = plannedParams(accountId, window.from, window.to, bucket, origin);
  return runQuery(conn, 'timeSeries', {
    // One read transaction: the three arms read the same snapshot.
    sqlite: (c) => fill(emptySeries(window, origin, bucket), c.db.transaction(() => sqliteArms(c, params.sqlite))()),
    // REPEATABLE READ: every statement of the transaction reads the same snapshot.
    postgres: async (c) =>
      fill(
        emptySeries(window, origin, bucket),
        await c.transaction((client) => pgArms(client, params.postgres), {
          isolation: 'repeatable read',
          readOnly: true,
        }),
      ),
  });
}
