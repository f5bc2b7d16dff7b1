// listConversions: one account's conversions in [from, to), newest first (the dashboard's pick list for journeys).
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { ConversionListing, TopWindow } from '../../storage.js';
import { ACCOUNT_KEY_OF_NAMED } from '../accounts/account-key.js';

const SQLITE_LIST = `SELECT id, name, visitor_id AS visitorId, occurred_at AS timestamp, revenue, currency FROM conversions
  WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND occurred_at >= @from AND occurred_at < @to ORDER BY occurred_at DESC, id DESC LIMIT @limit`;

interface Params { account: string; from: number; to: number; limit: number }

export function listConversions(conn: Connection, accountId: string, window: TopWindow): Promise<ConversionListing[]> {
  return runQuery(conn, 'listConversions', {
    sqlite: (c) => c.statement<[Params], ConversionListing>(SQLITE_LIST).all({ account: accountId, from: window.from, to: window.to, limit: window.limit }),
  });
}
