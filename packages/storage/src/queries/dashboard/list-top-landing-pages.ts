// listTopLandingPages: the landing pages (path, no query string) of one account's sessions started in [from, to), most sessions first.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { named } from '../../dialects/postgres-named-params.js';
import type { TopRow, TopWindow } from '../../storage.js';
import { PG_ARMS, plannedParams, SQLITE_ARMS, type ArmSql, type PlannedParams } from '../rollups/rollup-arms.js';
import { pgUrlPath, sqlUrlPath } from './url-parts.js';


// The path drops the query string, so one page landed on from many campaigns (utm_*) is one row.
// Whole hours come from rollup_sessions (the path stored as url-parts.ts computes it, '' for no
// landing url); partial hours from the sessions themselves. The path is in the "C" collation on
// PostgreSQL, so ties sort as in SQLite.
const topSql = (a: ArmSql, path: string): string => `SELECT value, SUM(sessions) AS sessions, COUNT(DISTINCT visitor_id) AS visitors FROM (
    ${a.hours('rollup_sessions', 'r.landing_path AS value, r.visitor_id AS visitor_id, r.sessions AS sessions')} WHERE r.landing_path <> ''
    UNION ALL ${a.startedIn(`${path} AS value, s.visitor_id, 1`)} WHERE s.landing_url IS NOT NULL) AS paths
  GROUP BY value ORDER BY sessions DESC, value LIMIT @limit`;
const SQLITE_TOP = topSql(SQLITE_ARMS, sqlUrlPath('s.landing_url'));
const PG_TOP = named<keyof Params>(topSql(PG_ARMS, pgUrlPath('s.landing_url')));

type Params = PlannedParams['postgres'] & { limit: number };

export function listTopLandingPages(conn: Connection, accountId: string, window: TopWindow): Promise<TopRow[]> {
  const planned = plannedParams(accountId, window.from, window.to);
  return runQuery(conn, 'topLandingPages', {
    sqlite: (c) => c.statement<[PlannedParams['sqlite'] & { limit: number }], TopRow>(SQLITE_TOP).all({ ...planned.sqlite, limit: window.limit }),
    postgres: (c) => c.rows<TopRow>(PG_TOP.text, PG_TOP.values({ ...planned.postgres, limit: window.limit })),
  });
}
