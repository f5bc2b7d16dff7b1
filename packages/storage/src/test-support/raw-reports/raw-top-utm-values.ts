// The raw-row oracle for the rollup differential test: the utm sources, mediums or campaigns of one account's sessions started in [from, to), counted from the sessions.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { named, type NamedStatement } from '../../dialects/postgres-named-params.js';
import type { TopRow, TopUtmWindow, UtmField } from '../../storage.js';
import { ACCOUNT_KEY_OF_NAMED } from '../../queries/accounts/account-key.js';
import { pgUtmValue, sqlUtmValue } from '../../queries/dashboard/utm-parts.js';

const FIELDS: readonly UtmField[] = ['source', 'medium', 'campaign'];
const topSql = (
  value: string,
): string => `SELECT value, COUNT(*) AS sessions, COUNT(DISTINCT visitor_id) AS visitors FROM (
    SELECT ${value} AS value, visitor_id FROM sessions
    WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND started_at >= @from AND started_at < @to) AS sessions_in_range
  WHERE value <> '' GROUP BY value ORDER BY sessions DESC, value LIMIT @limit`;

interface Params {
  account: string;
  from: number;
  to: number;
  limit: number;
}
const SQLITE_TOP = Object.fromEntries(FIELDS.map((f) => [f, topSql(sqlUtmValue('utm', f))])) as Record<
  UtmField,
  string
>;
const PG_TOP = Object.fromEntries(FIELDS.map((f) => [f, named<keyof Params>(topSql(pgUtmValue('utm', f)))])) as Record<
  UtmField,
  NamedStatement<keyof Params>
>;

export function rawTopUtmValues(conn: Connection, accountId: string, window: TopUtmWindow): Promise<TopRow[]> {
  const params: Params = { account: accountId, from: window.from, to: window.to, limit: window.limit };
  const pg = PG_TOP[window.field];
  return runQuery(conn, 'topUtmValues', {
    sqlite: (c) => c.statement<[Params], TopRow>(SQLITE_TOP[window.field]).all(params),
    postgres: (c) => c.rows<TopRow>(pg.text, pg.values(params)),
  });
}
