// listConversions: one account's conversions in [from, to), newest first (the dashboard's pick list for journeys).
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { named } from '../../dialects/postgres-named-params.js';
import type { TopWindow } from '../../storage.js';
import { ACCOUNT_KEY_OF_NAMED } from '../accounts/account-key.js';

export interface ConversionListing {
  id: string;
  name: string;
  visitorId: string;
  timestamp: number;
  revenue: number | null;
  currency: string | null;
}

const SQLITE_LIST = `SELECT id, name, visitor_id AS visitorId, occurred_at AS timestamp, revenue, currency FROM conversions
  WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND occurred_at >= @from AND occurred_at < @to ORDER BY occurred_at DESC, id DESC LIMIT @limit`;
// PostgreSQL: the same with quoted camelCase aliases (unquoted ones fold to lower case).
const PG_LIST = named<keyof Params>(
  SQLITE_LIST.replace('AS visitorId', 'AS "visitorId"').replace('AS timestamp', 'AS "timestamp"'),
);

interface Params {
  account: string;
  from: number;
  to: number;
  limit: number;
}

export function listConversions(conn: Connection, accountId: string, window: TopWindow): Promise<ConversionListing[]> {
  const params: Params = { account: accountId, from: window.from, to: window.to, limit: window.limit };
  return runQuery(conn, 'listConversions', {
    sqlite: (c) => c.statement<[Params], ConversionListing>(SQLITE_LIST).all(params),
    postgres: (c) => c.rows<ConversionListing>(PG_LIST.text, PG_LIST.values(params)),
  });
}
