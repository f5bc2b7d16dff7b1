// funnelItems: the pageviews, events and conversions that match a funnel's goals in a window, with each item's session channel.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { named } from '../../dialects/postgres-named-params.js';
import type { FunnelItem, FunnelItems, FunnelItemsWindow, GoalKind } from '../../funnel-definitions.js';
import { ACCOUNT_KEY_OF_NAMED } from '../accounts/account-key.js';
import { pgUrlPath, sqlUrlPath } from '../dashboard/url-parts.js';
import { globOfPathPattern, likeOfPathPattern } from './path-pattern.js';

interface DialectSql { path: string; pathMatches: (param: string) => string; pattern: (match: string) => string }
const SQLITE_SQL: DialectSql = { path: sqlUrlPath('e.url'), pathMatches: (p) => `GLOB @${p}`, pattern: globOfPathPattern };
const PG_SQL: DialectSql = { path: pgUrlPath('e.url'), pathMatches: (p) => `LIKE @${p}`, pattern: likeOfPathPattern };

/** One arm per goal: only the kind (an allowlist) shapes the SQL; every value is a bound parameter. */
function arm(d: DialectSql, kind: GoalKind, i: number): string {
  const inWindow = `account_key = ${ACCOUNT_KEY_OF_NAMED} AND occurred_at >= @from AND occurred_at < @until`;
  const columns = 'id, visitor_id, session_id, occurred_at';
  switch (kind) {
    case 'pageview': return `SELECT ${i} AS goal, ${columns} FROM events AS e WHERE ${inWindow} AND type = 'pageview' AND ${d.path} ${d.pathMatches(`m${i}`)}`;
    case 'event': return `SELECT ${i} AS goal, ${columns} FROM events WHERE ${inWindow} AND type = 'event' AND name = @m${i}`;
    case 'conversion': return `SELECT ${i} AS goal, ${columns} FROM conversions WHERE ${inWindow} AND name = @m${i}`;
  }
}

// Ordered by visitor, then by the funnel's total order (time, then item id), so the report walks
// each visitor's items once. The channel is the item's session's (NULL without one).
function itemsSql(d: DialectSql, kinds: readonly GoalKind[]): string {
  return `SELECT i.goal, i.id, i.visitor_id, i.session_id, i.occurred_at, s.channel
  FROM (${kinds.map((kind, i) => arm(d, kind, i)).join(' UNION ALL ')}) AS i
  LEFT JOIN sessions AS s ON s.account_key = ${ACCOUNT_KEY_OF_NAMED} AND s.visitor_id = i.visitor_id AND s.id = i.session_id
  ORDER BY i.visitor_id, i.occurred_at, i.id, i.goal LIMIT @limit`;
}

interface Row { goal: number; id: string; visitor_id: string; session_id: string | null; occurred_at: number | string; channel: string | null }

function params(d: DialectSql, accountId: string, w: FunnelItemsWindow): Record<string, unknown> {
  const values: Record<string, unknown> = { account: accountId, from: w.from, until: w.until, limit: w.maxRows + 1 };
  w.goals.forEach((g, i) => { values[`m${i}`] = g.kind === 'pageview' ? d.pattern(g.match) : g.match; });
  return values;
}

function answer(rows: readonly Row[], maxRows: number): FunnelItems {
  const items: FunnelItem[] = rows.slice(0, maxRows).map((r) => ({
    goal: Number(r.goal), id: r.id, visitorId: r.visitor_id, sessionId: r.session_id, timestamp: Number(r.occurred_at), channel: r.channel,
  }));
  return { items, truncated: rows.length > maxRows };
}

export function readFunnelItems(conn: Connection, accountId: string, w: FunnelItemsWindow): Promise<FunnelItems> {
  if (w.goals.length === 0) return Promise.resolve({ items: [], truncated: false });
  const kinds = w.goals.map((g) => g.kind);
  return runQuery(conn, 'funnelItems', {
    sqlite: (c) => answer(c.statement<[Record<string, unknown>], Row>(itemsSql(SQLITE_SQL, kinds)).all(params(SQLITE_SQL, accountId, w)), w.maxRows),
    postgres: async (c) => {
      const sql = named<string>(itemsSql(PG_SQL, kinds));
      return answer(await c.rows<Row>(sql.text, sql.values(params(PG_SQL, accountId, w))), w.maxRows);
    },
  });
}
