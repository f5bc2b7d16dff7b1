// beginSessionRepair: empties the repair's staging table and says how many sessions need repair and how far the inbox reaches.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { SessionRepairScope } from '../../storage.js';

interface ScopeRow {
  legacy: number;
  last_seq: number;
}

// A landing without a rank was stored before migration 006 (sqlite) / 005 (postgres); the merge
// keeps it as it is until this repair ranks it. The account filter is optional (NULL: all).
const SQLITE_SCOPE = `SELECT
  (SELECT count(*) FROM sessions WHERE landing_rank IS NULL AND landing_url IS NOT NULL
     AND (@account IS NULL OR account_key = (SELECT key FROM accounts WHERE id = @account))) AS legacy,
  (SELECT coalesce(max(seq), 0) FROM inbox) AS last_seq`;
const PG_SCOPE = `SELECT
  (SELECT count(*) FROM sessions WHERE landing_rank IS NULL AND landing_url IS NOT NULL
     AND ($1::text IS NULL OR account_key = (SELECT key FROM accounts WHERE id = $1))) AS legacy,
  (SELECT coalesce(max(seq), 0) FROM inbox) AS last_seq`;

export function beginSessionRepair(conn: Connection, accountId: string | null): Promise<SessionRepairScope> {
  return runQuery(conn, 'beginSessionRepair', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          c.db.exec('DELETE FROM session_landing_repair');
          const row = c
            .statement<[{ account: string | null }], ScopeRow>(SQLITE_SCOPE)
            .get({ account: accountId }) as ScopeRow;
          return { legacySessions: row.legacy, lastSeq: row.last_seq };
        })
        .immediate(),
    postgres: (c) =>
      c.transaction(async (client) => {
        await client.query('DELETE FROM session_landing_repair');
        const row = (await client.query<ScopeRow>(PG_SCOPE, [accountId])).rows[0] as ScopeRow;
        return { legacySessions: row.legacy, lastSeq: row.last_seq };
      }),
  });
}
