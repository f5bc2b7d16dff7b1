// saveFunnel: creates or replaces a funnel and its ordered steps in one transaction; refuses steps naming unknown goals.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { Funnel, FunnelSave } from '../../funnel-definitions.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';

const UPSERT_TAIL = `ON CONFLICT (account_key, id) DO UPDATE SET name = excluded.name, window_ms = excluded.window_ms, updated_at = excluded.updated_at
  RETURNING created_at`;
const SQLITE = {
  goals: `SELECT id FROM goals WHERE account_key = ${ACCOUNT_KEY_OF}`,
  upsert: `INSERT INTO funnels (account_key, id, name, window_ms, created_at, updated_at) VALUES (${ACCOUNT_KEY_OF}, ?, ?, ?, ?, ?) ${UPSERT_TAIL}`,
  clear: `DELETE FROM funnel_steps WHERE account_key = ${ACCOUNT_KEY_OF} AND funnel_id = ?`,
  step: `INSERT INTO funnel_steps (account_key, funnel_id, position, goal_id) VALUES (${ACCOUNT_KEY_OF}, ?, ?, ?)`,
};
const PG = {
  goals: `SELECT id FROM goals WHERE account_key = ${pgAccountKeyOf(1)} FOR SHARE`,
  upsert: `INSERT INTO funnels (account_key, id, name, window_ms, created_at, updated_at) VALUES (${pgAccountKeyOf(1)}, $2, $3, $4, $5, $6) ${UPSERT_TAIL}`,
  clear: `DELETE FROM funnel_steps WHERE account_key = ${pgAccountKeyOf(1)} AND funnel_id = $2`,
  step: `INSERT INTO funnel_steps (account_key, funnel_id, position, goal_id) VALUES (${pgAccountKeyOf(1)}, $2, $3, $4)`,
};

function unknownGoals(funnel: Funnel, stored: readonly string[]): FunnelSave | null {
  const known = new Set(stored);
  const missing = [...new Set(funnel.steps.filter((id) => !known.has(id)))];
  return missing.length > 0 ? { kind: 'unknown_goals', goals: missing } : null;
}

const saved = (funnel: Funnel, createdAt: number | string | undefined): FunnelSave => ({
  kind: 'saved',
  funnel: { ...funnel, createdAt: Number(createdAt ?? funnel.createdAt) },
});

export function saveFunnel(conn: Connection, accountId: string, funnel: Funnel): Promise<FunnelSave> {
  const row = [funnel.id, funnel.name, funnel.windowMs, funnel.createdAt, funnel.updatedAt] as const;
  return runQuery(conn, 'saveFunnel', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          const refused = unknownGoals(
            funnel,
            c
              .statement<[string], { id: string }>(SQLITE.goals)
              .all(accountId)
              .map((r) => r.id),
          );
          if (refused !== null) return refused;
          const createdAt = c
            .statement<unknown[], { created_at: number }>(SQLITE.upsert)
            .get(accountId, ...row)?.created_at;
          c.statement<[string, string]>(SQLITE.clear).run(accountId, funnel.id);
          const step = c.statement<[string, string, number, string]>(SQLITE.step);
          funnel.steps.forEach((goalId, i) => step.run(accountId, funnel.id, i, goalId));
          return saved(funnel, createdAt);
        })
        .immediate(),
    postgres: (c) =>
      c.transaction(async (client) => {
        // FOR SHARE holds the goals until commit: a concurrent deleteGoal waits, then sees the new steps.
        const refused = unknownGoals(
          funnel,
          (await client.query<{ id: string }>(PG.goals, [accountId])).rows.map((r) => r.id),
        );
        if (refused !== null) return refused;
        const createdAt = (await client.query<{ created_at: string }>(PG.upsert, [accountId, ...row])).rows[0]
          ?.created_at;
        await client.query(PG.clear, [accountId, funnel.id]);
        for (const [i, goalId] of funnel.steps.entries())
          await client.query(PG.step, [accountId, funnel.id, i, goalId]);
        return saved(funnel, createdAt);
      }),
  });
}
