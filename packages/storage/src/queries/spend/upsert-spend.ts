// upsertSpend: stores imported ad spend rows in one transaction; a row with the same day, channel and campaign replaces the earlier one.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';

/** One imported ad spend row: a UTC day (YYYY-MM-DD), channel, campaign (null: none), ISO currency, amount in integer micro-units. */
export interface SpendRow {
  day: string;
  channel: string;
  campaign: string | null;
  currency: string;
  amountMicros: number;
}

/** An import's outcome: written, or refused whole because it would mix currencies in the account. */
export type SpendUpsert =
  | { kind: 'written'; written: number }
  | { kind: 'mixed_currencies'; stored: string[]; currencies: string[] };

const SQLITE_UPSERT = `INSERT INTO ad_spend (account_key, day, channel, campaign, currency, amount_micros, updated_at)
  VALUES (${ACCOUNT_KEY_OF}, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (account_key, day, channel, campaign) DO UPDATE SET
    currency = excluded.currency, amount_micros = excluded.amount_micros, updated_at = excluded.updated_at`;
const PG_UPSERT = `INSERT INTO ad_spend (account_key, day, channel, campaign, currency, amount_micros, updated_at)
  VALUES (${pgAccountKeyOf(1)}, $2::date, $3, $4, $5, $6, $7)
  ON CONFLICT (account_key, day, channel, campaign) DO UPDATE SET
    currency = excluded.currency, amount_micros = excluded.amount_micros, updated_at = excluded.updated_at`;
const SQLITE_CURRENCIES = `SELECT DISTINCT currency FROM ad_spend WHERE account_key = ${ACCOUNT_KEY_OF}`;
const PG_CURRENCIES = `SELECT DISTINCT currency FROM ad_spend WHERE account_key = ${pgAccountKeyOf(1)}`;

/**
 * One currency per account: spend in two currencies cannot be summed or set against revenue, so
 * an import that would mix them is refused as a whole (nothing written).
 */
function mixedCurrencies(rows: readonly SpendRow[], stored: readonly string[]): SpendUpsert | null {
  const currencies = new Set([...stored, ...rows.map((r) => r.currency)]);
  return currencies.size > 1
    ? { kind: 'mixed_currencies', stored: [...stored].sort(), currencies: [...currencies].sort() }
    : null;
}

export function upsertSpend(
  conn: Connection,
  accountId: string,
  rows: readonly SpendRow[],
  now: number,
): Promise<SpendUpsert> {
  return runQuery(conn, 'upsertSpend', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          const refused = mixedCurrencies(
            rows,
            c
              .statement<[string], { currency: string }>(SQLITE_CURRENCIES)
              .all(accountId)
              .map((r) => r.currency),
          );
          if (refused !== null) return refused;
          const upsert = c.statement<[string, string, string, string, string, number, number]>(SQLITE_UPSERT);
          for (const r of rows)
            upsert.run(accountId, r.day, r.channel, r.campaign ?? '', r.currency, r.amountMicros, now);
          return { kind: 'written' as const, written: rows.length };
        })
        .immediate(),
    postgres: (c) =>
      c.transaction(async (client) => {
        // One import at a time per account, so two concurrent imports cannot each pass the currency check.
        await client.query('SELECT key FROM accounts WHERE id = $1 FOR UPDATE', [accountId]);
        const refused = mixedCurrencies(
          rows,
          (await client.query<{ currency: string }>(PG_CURRENCIES, [accountId])).rows.map((r) => r.currency),
        );
        if (refused !== null) return refused;
        for (const r of rows)
          await client.query(PG_UPSERT, [
            accountId,
            r.day,
            r.channel,
            r.campaign ?? '',
            r.currency,
            r.amountMicros,
            now,
          ]);
        return { kind: 'written' as const, written: rows.length };
      }),
  });
}
