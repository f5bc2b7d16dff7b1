// listFunnels: an account's funnels with their steps in order, oldest first.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { Funnel } from '../../funnel-definitions.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';

// One row per step; a funnel always has steps (saveFunnel writes them with it), the LEFT JOIN is for safety.
const listSql = (key: string): string => `SELECT f.id, f.name, f.window_ms, f.created_at, f.updated_at, s.goal_id
  FROM funnels AS f LEFT JOIN funnel_steps AS s ON s.account_key = f.account_key AND s.funnel_id = f.id
  WHERE f.account_key = ${key} ORDER BY f.created_at, f.id, s.position`;
const SQLITE_LIST = listSql(ACCOUNT_KEY_OF);
const PG_LIST = listSql(pgAccountKeyOf(1));

interface Row {
  id: string;
  name: string;
  window_ms: number | string;
  created_at: number | string;
  updated_at: number | string;
  goal_id: string | null;
}

function toFunnels(rows: readonly Row[]): Funnel[] {
  const funnels = new Map<string, Funnel>();
  for (const r of rows) {
    let f = funnels.get(r.id);
    if (f === undefined) {
      f = {
        id: r.id,
        name: r.name,
        windowMs: Number(r.window_ms),
        steps: [],
        createdAt: Number(r.created_at),
        updatedAt: Number(r.updated_at),
      };
      funnels.set(r.id, f);
    }
    if (r.goal_id !== null) f.steps.push(r.goal_id);
  }
  return [...funnels.values()];
}

export function listFunnels(conn: Connection, accountId: string): Promise<Funnel[]> {
  return runQuery(conn, 'listFunnels', {
    sqlite: (c) => toFunnels(c.statement<[string], Row>(SQLITE_LIST).all(accountId)),
    postgres: async (c) => toFunnels(await c.rows<Row>(PG_LIST, [accountId])),
  });
}
