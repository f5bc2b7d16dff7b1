// topUtmValues: the utm sources, mediums or campaigns of one account's sessions started in [from, to), most sessions first.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { named, type NamedStatement } from '../../dialects/postgres-named-params.js';
import type { TopRow, TopWindow } from '../../storage.js';
import { StorageError } from '../../storage-error.js';
import {
  PG_ARMS,
  plannedParams,
  SQLITE_ARMS,
  unseen,
  type ArmSql,
  type PlannedParams,
} from '../rollups/rollup-arms.js';
import { DIM } from '../rollups/visitor-sets.js';
import { pgUtmValue, sqlUtmValue } from './utm-parts.js';

/** A utm field the read model keeps: utm_source, utm_medium, utm_campaign. */
export type UtmField = 'source' | 'medium' | 'campaign';

export interface TopUtmWindow extends TopWindow {
  field: UtmField;
}

/** The rollup dimension of each utm field. */
const DIM_OF: Record<UtmField, number> = { source: DIM.utmSource, medium: DIM.utmMedium, campaign: DIM.utmCampaign };
const FIELDS: readonly UtmField[] = ['source', 'medium', 'campaign'];

// Sessions without the field (no utm, or a malformed one: utm-parts.ts) are left out. Whole hours
// come from rollup_dims (the value stored as utm-parts.ts reads it) and their distinct visitors
// from visitor_gaps; partial hours from the sessions themselves, whose visitors count only if the
// whole hours did not count them for this value (visitor-sets.ts). The value is in the "C"
// collation on PostgreSQL, so ties sort as in SQLite.
const topSql = (
  a: ArmSql,
  dim: number,
  value: string,
): string => `SELECT value, SUM(sessions) AS sessions, SUM(visitors) AS visitors FROM (
    ${a.dims(dim, 'r.value AS value, r.sessions AS sessions, 0 AS visitors')}
    UNION ALL ${a.gaps(dim, 'g.value AS value, 0 AS sessions, g.visitors AS visitors')}
    UNION ALL SELECT 0 AS i, value, COUNT(*) AS sessions,
        COUNT(DISTINCT CASE WHEN ${unseen(a, dim, 'raw.value', 'raw.visitor_id', 'raw.sf', 'raw.st')} THEN raw.visitor_id END) AS visitors
      FROM (${a.startedIn(`${value} AS value, s.visitor_id AS visitor_id, ${a.pieceSpan}`)}) AS raw
      WHERE raw.value <> '' GROUP BY value) AS counted
  GROUP BY value ORDER BY sessions DESC, value LIMIT @limit`;

type Params = PlannedParams['postgres'] & { limit: number };
const SQLITE_TOP = Object.fromEntries(
  FIELDS.map((f) => [f, topSql(SQLITE_ARMS, DIM_OF[f], sqlUtmValue('s.utm', f))]),
) as Record<UtmField, string>;
const PG_TOP = Object.fromEntries(
  FIELDS.map((f) => [f, named<keyof Params>(topSql(PG_ARMS, DIM_OF[f], pgUtmValue('s.utm', f)))]),
) as Record<UtmField, NamedStatement<keyof Params>>;

export function topUtmValues(conn: Connection, accountId: string, window: TopUtmWindow): Promise<TopRow[]> {
  if (!Object.hasOwn(DIM_OF, window.field)) {
    return Promise.reject(
      new StorageError(
        'query_failed',
        `topUtmValues: field must be one of ${FIELDS.join(', ')}, got ${JSON.stringify(window.field)}`,
      ),
    );
  }
  const planned = plannedParams(accountId, window.from, window.to);
  const sqlite = SQLITE_TOP[window.field];
  const pg = PG_TOP[window.field];
  return runQuery(conn, 'topUtmValues', {
    sqlite: (c) =>
      c
        .statement<[PlannedParams['sqlite'] & { limit: number }], TopRow>(sqlite)
        .all({ ...planned.sqlite, limit: window.limit }),
    postgres: (c) => c.rows<TopRow>(pg.text, pg.values({ ...planned.postgres, limit: window.limit })),
  });
}
