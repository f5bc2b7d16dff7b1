// listTopReferrers: the referring hosts of one account's sessions started in [from, to), most sessions first.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { TopRow, TopWindow } from '../../storage.js';
import { ACCOUNT_KEY_OF_NAMED } from '../accounts/account-key.js';
import { sqlUrlHost } from './url-parts.js';

// Sessions without a referrer (direct, or stripped by the browser) are not a referrer: left out.
const SQLITE_TOP = `SELECT value, COUNT(*) AS sessions, COUNT(DISTINCT visitor_id) AS visitors FROM (
    SELECT ${sqlUrlHost('referrer')} AS value, visitor_id FROM sessions
    WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND started_at >= @from AND started_at < @to AND referrer IS NOT NULL AND referrer <> '')
  WHERE value <> '' GROUP BY value ORDER BY sessions DESC, value LIMIT @limit`;

interface Params { account: string; from: number; to: number; limit: number }

export function listTopReferrers(conn: Connection, accountId: string, window: TopWindow): Promise<TopRow[]> {
  return runQuery(conn, 'topReferrers', {
    sqlite: (c) => c.statement<[Params], TopRow>(SQLITE_TOP).all({ account: accountId, from: window.from, to: window.to, limit: window.limit }),
  });
}
