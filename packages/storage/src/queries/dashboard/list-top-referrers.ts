// listTopReferrers: the referring hosts of one account's sessions started in [from, to), most sessions first.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { named } from '../../dialects/postgres-named-params.js';
import type { TopRow, TopWindow } from '../../storage.js';
import { PG_ARMS, plannedParams, SQLITE_ARMS, type ArmSql, type PlannedParams } from '../rollups/rollup-arms.js';
import { pgUrlHost, sqlUrlHost } from './url-parts.js';


// Sessions without a referrer (direct, or stripped by the browser) are not a referrer: left out.
// Whole hours come from rollup_sessions (the host stored as url-parts.ts computes it, '' for none);
// partial hours from the sessions themselves. The host is in the "C" collation on PostgreSQL, so
// ties sort as in SQLite.
const topSql = (a: ArmSql, host: string): string => `SELECT value, SUM(sessions) AS sessions, COUNT(DISTINCT visitor_id) AS visitors FROM (
    ${a.hours('rollup_sessions', 'r.referrer_host AS value, r.visitor_id AS visitor_id, r.sessions AS sessions')}
    UNION ALL ${a.startedIn(`${host} AS value, s.visitor_id, 1`)} WHERE s.referrer IS NOT NULL AND s.referrer <> '') AS hosts
  WHERE value <> '' GROUP BY value ORDER BY sessions DESC, value LIMIT @limit`;
const SQLITE_TOP = topSql(SQLITE_ARMS, sqlUrlHost('s.referrer'));
const PG_TOP = named<keyof Params>(topSql(PG_ARMS, pgUrlHost('s.referrer')));

type Params = PlannedParams['postgres'] & { limit: number };

export function listTopReferrers(conn: Connection, accountId: string, window: TopWindow): Promise<TopRow[]> {
  const planned = plannedParams(accountId, window.from, window.to);
  return runQuery(conn, 'topReferrers', {
    sqlite: (c) => c.statement<[PlannedParams['sqlite'] & { limit: number }], TopRow>(SQLITE_TOP).all({ ...planned.sqlite, limit: window.limit }),
    postgres: (c) => c.rows<TopRow>(PG_TOP.text, PG_TOP.values({ ...planned.postgres, limit: window.limit })),
  });
}
