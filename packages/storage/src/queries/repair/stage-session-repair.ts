// stageSessionRepair: merges sessions re-derived from processed inbox rows into the repair's staging table.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { SessionUpsert } from '../../storage.js';
import { sqliteAccountKeys } from '../accounts/account-key.js';
import { chunks } from '../multi-row-insert.js';
import { mergeSessions } from '../processed/merge-upserts.js';
import { pgInsert } from '../processed/pg-rows-insert.js';
import { pgSessionUpsert, sessionParams, sqliteSessionUpserts } from '../processed/session-upsert-sql.js';

// The same statements and merge as the sessions table's: staged rows end as the sessions would if
// every inbox row were processed again from nothing (times, counts, best landing).
const SQLITE_STAGE = sqliteSessionUpserts('session_landing_repair');
const PG_STAGE = pgSessionUpsert('session_landing_repair');

export function stageSessionRepair(conn: Connection, sessions: readonly SessionUpsert[]): Promise<void> {
  return runQuery(conn, 'stageSessionRepair', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          const keyOf = sqliteAccountKeys(c);
          for (const part of chunks(sessions)) {
            c.statement(SQLITE_STAGE[part.length] as string).run(
              ...part.flatMap((s) => [keyOf(s.accountId), ...sessionParams(s)]),
            );
          }
        })
        .immediate(),
    postgres: (c) =>
      c.transaction(async (client) => {
        await pgInsert(client, PG_STAGE, mergeSessions(sessions), (s) => [s.accountId, ...sessionParams(s)]);
      }),
  });
}
