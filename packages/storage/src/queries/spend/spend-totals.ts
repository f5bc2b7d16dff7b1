// spendTotals: ad spend summed per channel or per campaign over whole UTC days, exactly (integer micro-units).
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';
import { microsToNumber } from '../revenue-sum.js';

/** Spend days [firstDay, lastDay] (inclusive, YYYY-MM-DD), summed per channel or per campaign. */
export interface SpendWindow {
  firstDay: string;
  lastDay: string;
  groupBy: 'channel' | 'campaign';
}

/** Spend of one channel or campaign (key null: spend without a campaign) in one currency, exact. */
export interface SpendTotal {
  key: string | null;
  currency: string;
  amount: number;
}

// The grouping column comes from this allowlist only. '' (no campaign) reads back as NULL.
const GROUP_COLUMN = { channel: 'channel', campaign: "nullif(campaign, '')" } as const;

const sqliteTotals = (
  by: keyof typeof GROUP_COLUMN,
): string => `SELECT ${GROUP_COLUMN[by]} AS key, currency, CAST(SUM(amount_micros) AS TEXT) AS micros
  FROM ad_spend WHERE account_key = ${ACCOUNT_KEY_OF} AND day >= ? AND day <= ? GROUP BY 1, 2`;
const pgTotals = (
  by: keyof typeof GROUP_COLUMN,
): string => `SELECT ${GROUP_COLUMN[by]} AS key, currency, SUM(amount_micros)::text AS micros
  FROM ad_spend WHERE account_key = ${pgAccountKeyOf(1)} AND day >= $2::date AND day <= $3::date GROUP BY 1, 2`;

interface Row {
  key: string | null;
  currency: string;
  micros: string;
}

const toTotal = (r: Row): SpendTotal => ({
  key: r.key,
  currency: r.currency,
  amount: microsToNumber(BigInt(r.micros)),
});

export function spendTotals(conn: Connection, accountId: string, w: SpendWindow): Promise<SpendTotal[]> {
  return runQuery(conn, 'spendTotals', {
    sqlite: (c) =>
      c
        .statement<[string, string, string], Row>(sqliteTotals(w.groupBy))
        .all(accountId, w.firstDay, w.lastDay)
        .map(toTotal),
    postgres: async (c) => (await c.rows<Row>(pgTotals(w.groupBy), [accountId, w.firstDay, w.lastDay])).map(toTotal),
  });
}
