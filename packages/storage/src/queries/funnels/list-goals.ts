// listGoals: an account's goals, oldest first.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { Goal } from '../../funnel-definitions.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';
import { toGoal, type GoalRow } from './save-goal.js';

const COLUMNS = 'SELECT id, name, kind, match, created_at, updated_at FROM goals WHERE account_key = ';
const SQLITE_LIST = `${COLUMNS}${ACCOUNT_KEY_OF} ORDER BY created_at, id`;
const PG_LIST = `${COLUMNS}${pgAccountKeyOf(1)} ORDER BY created_at, id`;

export function listGoals(conn: Connection, accountId: string): Promise<Goal[]> {
  return runQuery(conn, 'listGoals', {
    sqlite: (c) => c.statement<[string], GoalRow>(SQLITE_LIST).all(accountId).map(toGoal),
    postgres: async (c) => (await c.rows<GoalRow>(PG_LIST, [accountId])).map(toGoal),
  });
}
