// findConversion: one conversion by id, in one account.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { ConversionFact } from '../../storage.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';

const SQLITE_FIND = `SELECT id, visitor_id AS visitorId, session_id AS sessionId, occurred_at AS timestamp, revenue FROM conversions
  WHERE account_key = ${ACCOUNT_KEY_OF} AND id = ?`;
const PG_FIND = `SELECT id, visitor_id AS "visitorId", session_id AS "sessionId", occurred_at AS timestamp, revenue FROM conversions
  WHERE account_key = ${pgAccountKeyOf(1)} AND id = $2`;

export function findConversion(conn: Connection, accountId: string, id: string): Promise<ConversionFact | null> {
  return runQuery(conn, 'findConversion', {
    sqlite: (c) => c.statement<[string, string], ConversionFact>(SQLITE_FIND).get(accountId, id) ?? null,
    postgres: async (c) => (await c.rows<ConversionFact>(PG_FIND, [accountId, id]))[0] ?? null,
  });
}
