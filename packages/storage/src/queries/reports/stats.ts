// stats: one account's visitors, sessions, events, conversions and revenue in the range [from, to), read from the rollups.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { named } from '../../dialects/postgres-named-params.js';
import { revenueTotal, type RevenueSums } from '../revenue-sum.js';
import { itemArms, PG_ARMS, plannedParams, SQLITE_ARMS, unseen, type ArmSql, type PlannedParams } from '../rollups/rollup-arms.js';
import { DIM } from '../rollups/visitor-sets.js';

export interface Stats { visitors: number; sessions: number; events: number; conversions: number; revenue: number }

// A session counts when its activity span [started_at, last_seen_at] meets [from, to); its visitor
// counts with it. Such a session either started in the range (rollup_dims for the whole hours,
// raw sessions for the partial ones) or started before it and was still active at `from` (raw,
// bounded by the longest session span; for a reversed range, started before `to`). Items without a
// session count as events and conversions only. Distinct visitors are exact: those with a session
// started in the whole hours are a sum of visitor_gaps rows (visitor-sets.ts); a raw session's
// visitor adds one only if the whole hours did not count it, and raw visitors are counted
// distinct among themselves. One statement: one snapshot.
function statsSql(a: ArmSql): string {
  const items = itemArms(a);
  return `SELECT st.sessions, vh.visitors + vr.visitors AS visitors, ev.events, cv.conversions, cv.revenue_units, cv.revenue_micros
  FROM (SELECT COALESCE(SUM(sessions), 0) AS sessions FROM (
          ${a.dims(DIM.all, 'r.sessions AS sessions')}
          UNION ALL ${a.startedIn('1')}
          UNION ALL ${a.activeAtFrom('1')}) AS started) AS st,
       (SELECT COALESCE(SUM(visitors), 0) AS visitors FROM (${a.gaps(DIM.all, 'g.visitors AS visitors')}) AS whole) AS vh,
       (SELECT COUNT(DISTINCT visitor_id) AS visitors FROM (
          ${a.startedIn(`s.visitor_id AS visitor_id, ${a.pieceSpan}`)}
          UNION ALL ${a.activeAtFrom(`s.visitor_id, ${a.firstSpan}`)}) AS raw
        WHERE ${unseen(a, DIM.all, "''", 'raw.visitor_id', 'raw.sf', 'raw.st')}) AS vr,
       (SELECT COALESCE(SUM(events), 0) AS events FROM (${items.events}) AS ev) AS ev,
       (SELECT COALESCE(SUM(conversions), 0) AS conversions, COALESCE(SUM(units), 0) AS revenue_units,
          COALESCE(SUM(micros), 0) AS revenue_micros FROM (${items.conversions}) AS cv) AS cv`;
}

const SQLITE_STATS = statsSql(SQLITE_ARMS);
const PG_STATS = named<keyof PlannedParams['postgres']>(statsSql(PG_ARMS));
type StatsRow = Omit<Stats, 'revenue'> & RevenueSums;

export async function stats(conn: Connection, accountId: string, from: number, to: number): Promise<Stats> {
  const params = plannedParams(accountId, from, to);
  const row = await runQuery(conn, 'stats', {
    sqlite: (c) => c.statement<[PlannedParams['sqlite']], StatsRow>(SQLITE_STATS).get(params.sqlite) as StatsRow,
    postgres: async (c) => (await c.rows<StatsRow>(PG_STATS.text, PG_STATS.values(params.postgres)))[0] as StatsRow,
  });
  return { visitors: row.visitors, sessions: row.sessions, events: row.events, conversions: row.conversions, revenue: revenueTotal(row) };
}
