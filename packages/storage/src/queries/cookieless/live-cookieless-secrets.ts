// liveCookielessSecrets: an account's daily secrets that still exist (never creates one), for erasure and export to recompute cookieless visitor ids of inbox items.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';

/** A UTC day (days since 1970-01-01) and its secret (hex). */
export interface DaySecret {
  day: number;
  secret: string;
}

const SQLITE_READ = `SELECT day, secret FROM cookieless_secrets WHERE account_key = ${ACCOUNT_KEY_OF} AND expires_at > ? ORDER BY day`;
const PG_READ = `SELECT day::float8 AS day, secret FROM cookieless_secrets WHERE account_key = ${pgAccountKeyOf(1)} AND expires_at > $2 ORDER BY day`;

export function liveCookielessSecrets(conn: Connection, accountId: string, now: number): Promise<DaySecret[]> {
  return runQuery(conn, 'liveCookielessSecrets', {
    sqlite: (c) => c.statement<[string, number], DaySecret>(SQLITE_READ).all(accountId, now),
    postgres: async (c) =>
      (await c.rows<DaySecret>(PG_READ, [accountId, now])).map((r) => ({ day: Number(r.day), secret: r.secret })),
  });
}
