// Revenue totals as reports show them: a SQL sum of REAL/double amounts without its binary noise.

/**
 * SUM over floating-point amounts carries representation noise (21018.670000000002 for amounts
 * that add up to 21018.67; 0.1 + 0.2 gives 0.30000000000000004). Rounded to micro-units, finer
 * than any currency's minor unit, so every report (API, dashboard, CLI) shows the same clean total.
 */
export function revenueSum(sum: number): number {
  return Math.round(sum * 1e6) / 1e6;
}
