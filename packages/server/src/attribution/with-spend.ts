// Cost, ROAS and CAC beside credited revenue: ad spend of the same days joined to attribution rows by channel or campaign.
import { MicroTotals, toMicros } from '@touchline/attribution';
import type { Storage } from '@touchline/storage';

/** Spend figures of one row: what was spent on it, revenue per unit spent, spend per credited conversion. */
export interface CostFigures {
  cost: number;
  roas: number | null;
  cac: number | null;
}
export interface SpendSummary {
  currency: string;
  total: number;
}

interface Credited {
  conversions: number;
  revenue: number;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const round = (n: number, decimals: number): number => Number(n.toFixed(decimals));

/**
 * Rows for every key that has spend in the window's days get cost, roas and cac; keys with spend
 * but no credit are added with zero conversions (money spent for nothing must show). Without any
 * spend in the window the rows come back as they were and `spend` is null. The window's days are
 * the UTC days from `from` through `to - 1` (spend is imported per day).
 */
export async function withSpend<R extends Credited>(
  storage: Storage,
  q: { accountId: string; from: number; to: number; groupBy: 'channel' | 'campaign' },
  rows: readonly R[],
  keyOf: (row: R) => string | null,
  emptyRow: (key: string | null) => R,
): Promise<{ rows: Array<R & Partial<CostFigures>>; spend: SpendSummary | null }> {
  const totals = await storage.spendTotals(q.accountId, {
    firstDay: day(q.from),
    lastDay: day(q.to - 1),
    groupBy: q.groupBy,
  });
  if (totals.length === 0) return { rows: [...rows], spend: null };
  const cost = new Map(totals.map((t) => [t.key, t.amount]));
  const all = [...rows];
  const present = new Set(rows.map(keyOf));
  for (const t of totals) if (!present.has(t.key)) all.push(emptyRow(t.key));
  const sum = new MicroTotals();
  for (const t of totals) sum.add(0, toMicros(t.amount));
  return {
    rows: all.map((row) => {
      const spent = cost.get(keyOf(row));
      if (spent === undefined) return row;
      return {
        ...row,
        cost: spent,
        roas: spent > 0 ? round(row.revenue / spent, 4) : null,
        cac: row.conversions > 0 ? round(spent / row.conversions, 6) : null,
      };
    }),
    spend: { currency: totals[0]?.currency ?? '', total: sum.amount(0) },
  };
}
