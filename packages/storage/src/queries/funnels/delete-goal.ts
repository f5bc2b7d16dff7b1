// deleteGoal: removes a goal unless a funnel uses it (then names those funnels and deletes nothing).
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { GoalDelete } from '../../funnel-definitions.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';

const SQLITE_USERS = `SELECT DISTINCT funnel_id FROM funnel_steps WHERE account_key = ${ACCOUNT_KEY_OF} AND goal_id = ? ORDER BY funnel_id`;
const SQLITE_DELETE = `DELETE FROM goals WHERE account_key = ${ACCOUNT_KEY_OF} AND id = ?`;
const PG_USERS = `SELECT DISTINCT funnel_id FROM funnel_steps WHERE account_key = ${pgAccountKeyOf(1)} AND goal_id = $2 ORDER BY funnel_id`;
const PG_DELETE = `DELETE FROM goals WHERE account_key = ${pgAccountKeyOf(1)} AND id = $2`;

const outcome = (users: string[], deleted: number): GoalDelete => {
  if (users.length > 0) return { kind: 'in_use', funnels: users };
  return deleted > 0 ? { kind: 'deleted' } : { kind: 'not_found' };
};

/**
 * The check and the delete share a transaction; on PostgreSQL the funnel_steps foreign key also
 * refuses a delete racing a funnel being saved, so a funnel can never keep a step without its goal.
 */
export function deleteGoal(conn: Connection, accountId: string, goalId: string): Promise<GoalDelete> {
  return runQuery(conn, 'deleteGoal', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          const users = c
            .statement<[string, string], { funnel_id: string }>(SQLITE_USERS)
            .all(accountId, goalId)
            .map((r) => r.funnel_id);
          return outcome(
            users,
            users.length > 0 ? 0 : c.statement<[string, string]>(SQLITE_DELETE).run(accountId, goalId).changes,
          );
        })
        .immediate(),
    postgres: (c) =>
      c.transaction(async (client) => {
        const users = (await client.query<{ funnel_id: string }>(PG_USERS, [accountId, goalId])).rows.map(
          (r) => r.funnel_id,
        );
        return outcome(
          users,
          users.length > 0 ? 0 : ((await client.query(PG_DELETE, [accountId, goalId])).rowCount ?? 0),
        );
      }),
  });
}
