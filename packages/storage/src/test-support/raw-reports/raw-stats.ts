// The raw-row oracle kept for the rollup differential test (the query before rollups): stats: one account's visitors, sessions, events, conversions and revenue in the range [from, to).
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { Stats } from '../../storage.js';
import { ACCOUNT_KEY_OF_NAMED, pgAccountKeyOf } from '../../queries/accounts/account-key.js';
import { PG_REVENUE_SUMS, revenueTotal, SQLITE_REVENUE_SUMS, type RevenueSums } from '../../queries/revenue-sum.js';

// A session counts when its activity span [started_at, last_seen_at] meets [from, to); its visitor
// counts with it. Sessions end after an inactivity timeout, so a span has no gap longer than that
// timeout and "meets the range" is "had activity in the range" to within it. Items without a
// session count as events and conversions only. One statement: all five numbers from one snapshot,
// each answered from a covering index.
const SQLITE_STATS = `SELECT s.sessions, s.visitors, e.events, c.conversions, c.revenue_units, c.revenue_micros
  FROM (SELECT COUNT(*) AS sessions, COUNT(DISTINCT visitor_id) AS visitors FROM sessions
        WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND last_seen_at >= @from AND started_at < @to) AS s,
       (SELECT COUNT(*) AS events FROM events
        WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND occurred_at >= @from AND occurred_at < @to) AS e,
       (SELECT COUNT(*) AS conversions, ${SQLITE_REVENUE_SUMS} FROM conversions
        WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND occurred_at >= @from AND occurred_at < @to) AS c`;

const PG_STATS = `SELECT s.sessions, s.visitors, e.events, c.conversions, c.revenue_units, c.revenue_micros
  FROM (SELECT COUNT(*) AS sessions, COUNT(DISTINCT visitor_id) AS visitors FROM sessions
        WHERE account_key = ${pgAccountKeyOf(1)} AND last_seen_at >= $2 AND started_at < $3) AS s,
       (SELECT COUNT(*) AS events FROM events
        WHERE account_key = ${pgAccountKeyOf(1)} AND occurred_at >= $2 AND occurred_at < $3) AS e,
       (SELECT COUNT(*) AS conversions, ${PG_REVENUE_SUMS} FROM conversions
        WHERE account_key = ${pgAccountKeyOf(1)} AND occurred_at >= $2 AND occurred_at < $3) AS c`;
interface Range {
  account: string;
  from: number;
  to: number;
}
type StatsRow = Omit<Stats, 'revenue'> & RevenueSums;

export async function rawStats(conn: Connection, accountId: string, from: number, to: number): Promise<Stats> {
  const row = await runQuery(conn, 'stats', {
    sqlite: (c) => c.statement<[Range], StatsRow>(SQLITE_STATS).get({ account: accountId, from, to }) as StatsRow,
    postgres: async (c) => (await c.rows<StatsRow>(PG_STATS, [accountId, from, to]))[0] as StatsRow,
  });
  return {
    visitors: row.visitors,
    sessions: row.sessions,
    events: row.events,
    conversions: row.conversions,
    revenue: revenueTotal(row),
  };
}
