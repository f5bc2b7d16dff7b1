// Revenue totals, exact: summed in SQL as integers (whole units and micro-unit remainders), never as floats.

/**
 * A SUM over REAL/double amounts accumulates binary noise (21018.670000000002 for amounts that add
 * up to 21018.67), and rounding such a sum afterwards is not exact either: over millions of rows the
 * error can reach the cents. So each amount is split into its whole units (truncated toward zero)
 * and the rest in micro-units (rounded: finer than any currency's minor unit), and each part is
 * summed as an integer. Every amount the wire accepts (|revenue| <= 1e9, see wire-schemas.ts) is
 * recovered exactly to the micro-unit from its double, and neither integer sum can overflow.
 * Select both columns with these fragments and combine them with `revenueTotal`.
 */
export const SQLITE_REVENUE_SUMS = `COALESCE(SUM(CAST(revenue AS INTEGER)), 0) AS revenue_units,
  COALESCE(SUM(CAST(ROUND((revenue - CAST(revenue AS INTEGER)) * 1000000) AS INTEGER)), 0) AS revenue_micros`;
export const PG_REVENUE_SUMS = `COALESCE(SUM(trunc(revenue)::bigint), 0) AS revenue_units,
  COALESCE(SUM(round((revenue - trunc(revenue)) * 1000000)::bigint), 0) AS revenue_micros`;

export interface RevenueSums {
  revenue_units: number;
  revenue_micros: number;
}

const MICROS = 1_000_000n;

/**
 * The total `units + micros / 1e6` as the double nearest to its exact decimal value, which prints
 * back as that decimal (2948248.75, never 2948248.7500000033).
 */
export function revenueTotal(sums: RevenueSums): number {
  const total = BigInt(sums.revenue_units) * MICROS + BigInt(sums.revenue_micros);
  return microsToNumber(total);
}

/** An exact amount in micro-units, as the double nearest to its decimal value. */
export function microsToNumber(micros: bigint): number {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  return Number(`${negative ? '-' : ''}${abs / MICROS}.${String(abs % MICROS).padStart(6, '0')}`);
}
