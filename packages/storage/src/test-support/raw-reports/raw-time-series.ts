// The raw-row oracle kept for the rollup differential test (the query before rollups): readTimeSeries: one account's visitors, sessions, events, conversions and revenue per time bucket over [from, to).
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import { named, type NamedStatement } from '../../dialects/postgres-named-params.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { SeriesPoint, SeriesWindow } from '../../storage.js';
import { StorageError } from '../../storage-error.js';
import { ACCOUNT_KEY_OF_NAMED } from '../../queries/accounts/account-key.js';
import { PG_REVENUE_SUMS, revenueTotal, SQLITE_REVENUE_SUMS, type RevenueSums } from '../../queries/revenue-sum.js';

// Buckets are [origin + i * bucket, origin + (i + 1) * bucket) cut to [from, to). Sessions (and their distinct visitors)
// count in the bucket they started in, items in the bucket they happened in. Each arm is a range
// scan of a time index; the three arms are combined in the caller (a bucket with nothing is zero).
const SQLITE_SESSIONS = `SELECT CAST((started_at - @origin) / @bucket AS INTEGER) AS i, COUNT(*) AS sessions, COUNT(DISTINCT visitor_id) AS visitors
  FROM sessions WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND started_at >= @from AND started_at < @to GROUP BY i`;
const SQLITE_EVENTS = `SELECT CAST((occurred_at - @origin) / @bucket AS INTEGER) AS i, COUNT(*) AS events
  FROM events WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND occurred_at >= @from AND occurred_at < @to GROUP BY i`;
const SQLITE_CONVERSIONS = `SELECT CAST((occurred_at - @origin) / @bucket AS INTEGER) AS i, COUNT(*) AS conversions, ${SQLITE_REVENUE_SUMS}
  FROM conversions WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND occurred_at >= @from AND occurred_at < @to GROUP BY i`;

// PostgreSQL: bigint / bigint already truncates toward zero (the difference is never negative), as
// SQLite's CAST does; the rest is the same statements with named parameters compiled to $n.
const PG_SESSIONS = named<
  keyof Params
>(`SELECT (started_at - @origin) / @bucket AS i, COUNT(*) AS sessions, COUNT(DISTINCT visitor_id) AS visitors
  FROM sessions WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND started_at >= @from AND started_at < @to GROUP BY i`);
const PG_EVENTS = named<keyof Params>(`SELECT (occurred_at - @origin) / @bucket AS i, COUNT(*) AS events
  FROM events WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND occurred_at >= @from AND occurred_at < @to GROUP BY i`);
const PG_CONVERSIONS = named<
  keyof Params
>(`SELECT (occurred_at - @origin) / @bucket AS i, COUNT(*) AS conversions, ${PG_REVENUE_SUMS}
  FROM conversions WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND occurred_at >= @from AND occurred_at < @to GROUP BY i`);

interface Params {
  account: string;
  from: number;
  to: number;
  origin: number;
  bucket: number;
}
type Bucketed<T> = T & { i: number };
type SessionCounts = Bucketed<{ sessions: number; visitors: number }>;
type EventCounts = Bucketed<{ events: number }>;
type ConversionCounts = Bucketed<{ conversions: number } & RevenueSums>;

/** What the three arms returned, in either dialect. */
interface Arms {
  sessions: SessionCounts[];
  events: EventCounts[];
  conversions: ConversionCounts[];
}

/** At most this many buckets per query, so a tiny bucket over a long range cannot build a huge answer. */
const MAX_SERIES_POINTS = 2000;

function emptySeries(window: SeriesWindow, origin: number): SeriesPoint[] {
  const count = Math.ceil((window.to - origin) / window.bucketMs);
  return Array.from({ length: count }, (_, i) => ({
    at: Math.max(window.from, origin + i * window.bucketMs),
    visitors: 0,
    sessions: 0,
    events: 0,
    conversions: 0,
    revenue: 0,
  }));
}

function sqliteArms(c: SqliteConnection, params: Params): Arms {
  return {
    sessions: c.statement<[Params], SessionCounts>(SQLITE_SESSIONS).all(params),
    events: c.statement<[Params], EventCounts>(SQLITE_EVENTS).all(params),
    conversions: c.statement<[Params], ConversionCounts>(SQLITE_CONVERSIONS).all(params),
  };
}

async function pgArms(client: PgQueryable, params: Params): Promise<Arms> {
  const all = async <R>(statement: NamedStatement<keyof Params>): Promise<R[]> =>
    (await client.query(statement.text, statement.values(params))).rows as R[];
  return { sessions: await all(PG_SESSIONS), events: await all(PG_EVENTS), conversions: await all(PG_CONVERSIONS) };
}

/** Writes each arm's counts into its bucket of `series`. */
function fill(series: SeriesPoint[], arms: Arms): SeriesPoint[] {
  for (const row of arms.sessions)
    Object.assign(series[row.i] ?? {}, { sessions: row.sessions, visitors: row.visitors });
  for (const row of arms.events) Object.assign(series[row.i] ?? {}, { events: row.events });
  for (const row of arms.conversions)
    Object.assign(series[row.i] ?? {}, { conversions: row.conversions, revenue: revenueTotal(row) });
  return series;
}

export function rawTimeSeries(conn: Connection, accountId: string, window: SeriesWindow): Promise<SeriesPoint[]> {
  if (
    !(window.bucketMs > 0) ||
    !(window.to > window.from) ||
    (window.to - window.from) / window.bucketMs > MAX_SERIES_POINTS
  ) {
    return Promise.reject(
      new StorageError(
        'query_failed',
        `timeSeries: [${window.from}, ${window.to}) in buckets of ${window.bucketMs} ms must be a non-empty range of at most ${MAX_SERIES_POINTS} buckets`,
      ),
    );
  }
  const origin = window.origin ?? window.from;
  const params: Params = {
    account: accountId,
    from: window.from,
    to: window.to,
    origin,
    bucket: Math.floor(window.bucketMs),
  };
  return runQuery(conn, 'timeSeries', {
    // One read transaction: the three arms read the same snapshot.
    sqlite: (c) => fill(emptySeries(window, origin), c.db.transaction(() => sqliteArms(c, params))()),
    // REPEATABLE READ: every statement of the transaction reads the same snapshot.
    postgres: async (c) =>
      fill(
        emptySeries(window, origin),
        await c.transaction((client) => pgArms(client, params), { isolation: 'repeatable read', readOnly: true }),
      ),
  });
}
