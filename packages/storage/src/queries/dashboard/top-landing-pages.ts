// topLandingPages: the landing pages (path, no query string) of one account's sessions started in [from, to), most sessions first.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { named } from '../../dialects/postgres-named-params.js';
import type { TopRow, TopWindow } from '../../storage.js';
import {
  PG_ARMS,
  plannedParams,
  SQLITE_ARMS,
  unseen,
  type ArmSql,
  type PlannedParams,
} from '../rollups/rollup-arms.js';
import { DIM } from '../rollups/visitor-sets.js';
import { pgUrlPath, sqlUrlPath } from './url-parts.js';

// The path drops the query string, so one page landed on from many campaigns (utm_*) is one row.
// Whole hours come from rollup_dims (the value stored as url-parts.ts computes it, '' for none)
// and their distinct visitors from visitor_gaps; partial hours from the sessions themselves, whose
// visitors count only if the whole hours did not count them for this value (visitor-sets.ts). The
// value is in the "C" collation on PostgreSQL, so ties sort as in SQLite.
const topSql = (
  a: ArmSql,
  path: string,
): string => `SELECT value, SUM(sessions) AS sessions, SUM(visitors) AS visitors FROM (
    ${a.dims(DIM.landing, 'r.value AS value, r.sessions AS sessions, 0 AS visitors')}
    UNION ALL ${a.gaps(DIM.landing, 'g.value AS value, 0 AS sessions, g.visitors AS visitors')}
    UNION ALL SELECT 0 AS i, value, COUNT(*) AS sessions,
        COUNT(DISTINCT CASE WHEN ${unseen(a, DIM.landing, 'raw.value', 'raw.visitor_id', 'raw.sf', 'raw.st')} THEN raw.visitor_id END) AS visitors
      FROM (${a.startedIn(`${path} AS value, s.visitor_id AS visitor_id, ${a.pieceSpan}`)} WHERE s.landing_url IS NOT NULL) AS raw
      GROUP BY value) AS counted
  GROUP BY value ORDER BY sessions DESC, value LIMIT @limit`;
const SQLITE_TOP = topSql(SQLITE_ARMS, sqlUrlPath('s.landing_url'));
const PG_TOP = named<keyof Params>(topSql(PG_ARMS, pgUrlPath('s.landing_url')));

type Params = PlannedParams['postgres'] & { limit: number };

export function topLandingPages(conn: Connection, accountId: string, window: TopWindow): Promise<TopRow[]> {
  const planned = plannedParams(accountId, window.from, window.to);
  return runQuery(conn, 'topLandingPages', {
    sqlite: (c) =>
      c
        .statement<[PlannedParams['sqlite'] & { limit: number }], TopRow>(SQLITE_TOP)
        .all({ ...planned.sqlite, limit: window.limit }),
    postgres: (c) => c.rows<TopRow>(PG_TOP.text, PG_TOP.values({ ...planned.postgres, limit: window.limit })),
  });
}
