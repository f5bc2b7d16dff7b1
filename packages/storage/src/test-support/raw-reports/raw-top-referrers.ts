// The raw-row oracle kept for the rollup differential test (the query before rollups): listTopReferrers: the referring hosts of one account's sessions started in [from, to), most sessions first.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { named } from '../../dialects/postgres-named-params.js';
import type { TopRow, TopWindow } from '../../storage.js';
import { ACCOUNT_KEY_OF_NAMED } from '../../queries/accounts/account-key.js';
import { pgUrlHost, sqlUrlHost } from '../../queries/dashboard/url-parts.js';

// Sessions without a referrer (direct, or stripped by the browser) are not a referrer: left out.
const SQLITE_TOP = `SELECT value, COUNT(*) AS sessions, COUNT(DISTINCT visitor_id) AS visitors FROM (
    SELECT ${sqlUrlHost('referrer')} AS value, visitor_id FROM sessions
    WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND started_at >= @from AND started_at < @to AND referrer IS NOT NULL AND referrer <> '')
  WHERE value <> '' GROUP BY value ORDER BY sessions DESC, value LIMIT @limit`;
// PostgreSQL: the same; the host is in the "C" collation (see url-parts), so ties sort as in SQLite.
const PG_TOP = named<keyof Params>(`SELECT value, COUNT(*) AS sessions, COUNT(DISTINCT visitor_id) AS visitors FROM (
    SELECT ${pgUrlHost('referrer')} AS value, visitor_id FROM sessions
    WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND started_at >= @from AND started_at < @to AND referrer IS NOT NULL AND referrer <> '') AS hosts
  WHERE value <> '' GROUP BY value ORDER BY sessions DESC, value LIMIT @limit`);

interface Params {
  account: string;
  from: number;
  to: number;
  limit: number;
}

export function rawTopReferrers(conn: Connection, accountId: string, window: TopWindow): Promise<TopRow[]> {
  const params: Params = { account: accountId, from: window.from, to: window.to, limit: window.limit };
  return runQuery(conn, 'topReferrers', {
    sqlite: (c) => c.statement<[Params], TopRow>(SQLITE_TOP).all(params),
    postgres: (c) => c.rows<TopRow>(PG_TOP.text, PG_TOP.values(params)),
  });
}
