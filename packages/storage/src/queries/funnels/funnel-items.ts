// funnelItems: the pageviews, events and conversions that match a funnel's goals in a window, with each item's session channel.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { named } from '../../dialects/postgres-named-params.js';
import type { FunnelItem, FunnelItems, FunnelItemsWindow, GoalKind } from '../../funnel-definitions.js';
import { ACCOUNT_KEY_OF_NAMED } from '../accounts/account-key.js';
import { pgUrlPath, sqlUrlPath } from '../dashboard/url-parts.js';
import { globOfPathPattern, likeOfPathPattern } from './path-pattern.js';

interface DialectSql {
  path: string;
  pathMatches: (param: string) => string;
  pattern: (match: string) => string;
}
const SQLITE_SQL: DialectSql = {
  path: sqlUrlPath('e.url'),
  pathMatches: (m) => `GLOB ${m}`,
  pattern: globOfPathPattern,
};
const PG_SQL: DialectSql = { path: pgUrlPath('e.url'), pathMatches: (m) => `LIKE ${m}`, pattern: likeOfPathPattern };

/**
 * Events are read in one pass whatever the number of goals: each row meets a small list of the
 * event-table goals (a VALUES list of index, kind and bound pattern) and yields one row per goal it
 * matches; conversions are one more pass only if a goal needs them. Only the kinds (an allowlist)
 * and goal indexes shape the SQL; every pattern and name is a bound parameter.
 */
function itemsSql(d: DialectSql, kinds: readonly GoalKind[]): string {
  const inWindow = (t: string): string =>
    `${t}.account_key = ${ACCOUNT_KEY_OF_NAMED} AND ${t}.occurred_at >= @from AND ${t}.occurred_at < @until`;
  const columns = (t: string): string => `${t}.id, ${t}.visitor_id, ${t}.session_id, ${t}.occurred_at`;
  const onEvents = kinds.flatMap((k, i) => (k === 'conversion' ? [] : [`(${i}, '${k}', @m${i})`]));
  const onConversions = kinds.flatMap((k, i) => (k === 'conversion' ? [`(${i}, @m${i})`] : []));
  const arms: string[] = [];
  const lists: string[] = [];
  if (onEvents.length > 0) {
    lists.push(`ge (goal, kind, m) AS (VALUES ${onEvents.join(', ')})`);
    // CROSS JOIN keeps events as SQLite's outer loop (one index range scan); PostgreSQL plans it as a plain join.
    arms.push(`SELECT g.goal, ${columns('e')} FROM events AS e CROSS JOIN ge AS g
      WHERE ${inWindow('e')} AND e.type IN ('pageview', 'event') AND e.type = g.kind
        AND CASE WHEN g.kind = 'pageview' THEN ${d.path} ${d.pathMatches('g.m')} ELSE e.name = g.m END`);
  }
  if (onConversions.length > 0) {
    lists.push(`gc (goal, m) AS (VALUES ${onConversions.join(', ')})`);
    arms.push(`SELECT g.goal, ${columns('c')} FROM conversions AS c CROSS JOIN gc AS g
      WHERE ${inWindow('c')} AND c.name = g.m`);
  }
  // Ordered by visitor, then by the funnel's total order (time, then item id), so the report walks
  // each visitor's items once. The channel is the item's session's (NULL without one).
  return `WITH ${lists.join(', ')}
  SELECT i.goal, i.id, i.visitor_id, i.session_id, i.occurred_at, s.channel
  FROM (${arms.join(' UNION ALL ')}) AS i
  LEFT JOIN sessions AS s ON s.account_key = ${ACCOUNT_KEY_OF_NAMED} AND s.visitor_id = i.visitor_id AND s.id = i.session_id
  ORDER BY i.visitor_id, i.occurred_at, i.id, i.goal LIMIT @limit`;
}

interface Row {
  goal: number;
  id: string;
  visitor_id: string;
  session_id: string | null;
  occurred_at: number | string;
  channel: string | null;
}

function params(d: DialectSql, accountId: string, w: FunnelItemsWindow): Record<string, unknown> {
  const values: Record<string, unknown> = { account: accountId, from: w.from, until: w.until, limit: w.maxRows + 1 };
  w.goals.forEach((g, i) => {
    values[`m${i}`] = g.kind === 'pageview' ? d.pattern(g.match) : g.match;
  });
  return values;
}

function answer(rows: readonly Row[], maxRows: number): FunnelItems {
  const items: FunnelItem[] = rows.slice(0, maxRows).map((r) => ({
    goal: Number(r.goal),
    id: r.id,
    visitorId: r.visitor_id,
    sessionId: r.session_id,
    timestamp: Number(r.occurred_at),
    channel: r.channel,
  }));
  return { items, truncated: rows.length > maxRows };
}

export function funnelItems(conn: Connection, accountId: string, w: FunnelItemsWindow): Promise<FunnelItems> {
  if (w.goals.length === 0) return Promise.resolve({ items: [], truncated: false });
  const kinds = w.goals.map((g) => g.kind);
  return runQuery(conn, 'funnelItems', {
    sqlite: (c) =>
      answer(
        c.statement<[Record<string, unknown>], Row>(itemsSql(SQLITE_SQL, kinds)).all(params(SQLITE_SQL, accountId, w)),
        w.maxRows,
      ),
    postgres: async (c) => {
      const sql = named<string>(itemsSql(PG_SQL, kinds));
      return answer(await c.rows<Row>(sql.text, sql.values(params(PG_SQL, accountId, w))), w.maxRows);
    },
  });
}
