// saveGoal: creates a goal or replaces the one with the same id (its createdAt kept), returning the stored row.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { Goal, GoalKind } from '../../funnel-definitions.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';

const UPSERT_TAIL = `ON CONFLICT (account_key, id) DO UPDATE SET
    name = excluded.name, kind = excluded.kind, match = excluded.match, updated_at = excluded.updated_at
  RETURNING id, name, kind, match, created_at, updated_at`;
const SQLITE_UPSERT = `INSERT INTO goals (account_key, id, name, kind, match, created_at, updated_at)
  VALUES (${ACCOUNT_KEY_OF}, ?, ?, ?, ?, ?, ?) ${UPSERT_TAIL}`;
const PG_UPSERT = `INSERT INTO goals (account_key, id, name, kind, match, created_at, updated_at)
  VALUES (${pgAccountKeyOf(1)}, $2, $3, $4, $5, $6, $7) ${UPSERT_TAIL}`;

export interface GoalRow {
  id: string;
  name: string;
  kind: GoalKind;
  match: string;
  created_at: number | string;
  updated_at: number | string;
}

/** PostgreSQL returns bigint as text; both dialects' rows become the same Goal. */
export const toGoal = (r: GoalRow): Goal => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  match: r.match,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export function saveGoal(conn: Connection, accountId: string, goal: Goal): Promise<Goal> {
  const params = [accountId, goal.id, goal.name, goal.kind, goal.match, goal.createdAt, goal.updatedAt] as const;
  return runQuery(conn, 'saveGoal', {
    sqlite: (c) => toGoal(c.statement<unknown[], GoalRow>(SQLITE_UPSERT).get(...params) as GoalRow),
    postgres: async (c) => toGoal((await c.rows<GoalRow>(PG_UPSERT, [...params]))[0] as GoalRow),
  });
}
