// readTimeSeries: one account's visitors, sessions, events, conversions and revenue per time bucket over [from, to).
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { SeriesPoint, SeriesWindow } from '../../storage.js';
import { StorageError } from '../../storage-error.js';
import { ACCOUNT_KEY_OF_NAMED } from '../accounts/account-key.js';

// Buckets are [from + i * bucket, from + (i + 1) * bucket). Sessions (and their distinct visitors)
// count in the bucket they started in, items in the bucket they happened in. Each arm is a range
// scan of a time index; the three arms are combined in the caller (a bucket with nothing is zero).
const SQLITE_SESSIONS = `SELECT CAST((started_at - @from) / @bucket AS INTEGER) AS i, COUNT(*) AS sessions, COUNT(DISTINCT visitor_id) AS visitors
  FROM sessions WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND started_at >= @from AND started_at < @to GROUP BY i`;
const SQLITE_EVENTS = `SELECT CAST((occurred_at - @from) / @bucket AS INTEGER) AS i, COUNT(*) AS events
  FROM events WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND occurred_at >= @from AND occurred_at < @to GROUP BY i`;
const SQLITE_CONVERSIONS = `SELECT CAST((occurred_at - @from) / @bucket AS INTEGER) AS i, COUNT(*) AS conversions, COALESCE(SUM(revenue), 0) AS revenue
  FROM conversions WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND occurred_at >= @from AND occurred_at < @to GROUP BY i`;

interface Params { account: string; from: number; to: number; bucket: number }
type Bucketed<T> = T & { i: number };

/** At most this many buckets per query, so a tiny bucket over a long range cannot build a huge answer. */
export const MAX_SERIES_POINTS = 2000;

function emptySeries(window: SeriesWindow): SeriesPoint[] {
  const count = Math.ceil((window.to - window.from) / window.bucketMs);
  return Array.from({ length: count }, (_, i) => ({ at: window.from + i * window.bucketMs, visitors: 0, sessions: 0, events: 0, conversions: 0, revenue: 0 }));
}

export function readTimeSeries(conn: Connection, accountId: string, window: SeriesWindow): Promise<SeriesPoint[]> {
  if (!(window.bucketMs > 0) || !(window.to > window.from) || (window.to - window.from) / window.bucketMs > MAX_SERIES_POINTS) {
    return Promise.reject(new StorageError('query_failed', `timeSeries: [${window.from}, ${window.to}) in buckets of ${window.bucketMs} ms must be a non-empty range of at most ${MAX_SERIES_POINTS} buckets`));
  }
  return runQuery(conn, 'timeSeries', {
    sqlite: (c) => {
      const params: Params = { account: accountId, from: window.from, to: window.to, bucket: Math.floor(window.bucketMs) };
      const series = emptySeries(window);
      return c.db.transaction(() => {
        for (const row of c.statement<[Params], Bucketed<{ sessions: number; visitors: number }>>(SQLITE_SESSIONS).all(params)) {
          Object.assign(series[row.i] ?? {}, { sessions: row.sessions, visitors: row.visitors });
        }
        for (const row of c.statement<[Params], Bucketed<{ events: number }>>(SQLITE_EVENTS).all(params)) {
          Object.assign(series[row.i] ?? {}, { events: row.events });
        }
        for (const row of c.statement<[Params], Bucketed<{ conversions: number; revenue: number }>>(SQLITE_CONVERSIONS).all(params)) {
          Object.assign(series[row.i] ?? {}, { conversions: row.conversions, revenue: row.revenue });
        }
        return series;
      })();
    },
  });
}
