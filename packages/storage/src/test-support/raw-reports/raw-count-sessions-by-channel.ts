// The raw-row oracle kept for the rollup differential test (the query before rollups): countSessionsByChannel: one account's sessions started in [from, to) per acquisition channel (null: not classified), most first.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { named } from '../../dialects/postgres-named-params.js';
import type { ChannelCount } from '../../storage.js';
import { ACCOUNT_KEY_OF_NAMED } from '../../queries/accounts/account-key.js';

// One row per channel (at most a dozen), so the answer stays small however many sessions there are.
const SQL = `SELECT channel, COUNT(*) AS sessions FROM sessions
  WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND started_at >= @from AND started_at < @to
  GROUP BY channel ORDER BY sessions DESC, channel`;
const PG = named<keyof Params>(SQL);

interface Params {
  account: string;
  from: number;
  to: number;
}

export function rawSessionsByChannel(
  conn: Connection,
  accountId: string,
  from: number,
  to: number,
): Promise<ChannelCount[]> {
  const params: Params = { account: accountId, from, to };
  return runQuery(conn, 'countSessionsByChannel', {
    sqlite: (c) => c.statement<[Params], ChannelCount>(SQL).all(params),
    postgres: (c) => c.rows<ChannelCount>(PG.text, PG.values(params)),
  });
}
