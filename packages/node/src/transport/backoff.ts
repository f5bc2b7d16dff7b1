// Exponential backoff with full jitter: spreads retries of many clients over the whole window.

/**
 * The ceiling of attempt `attempt` (0-based): min(capMs, baseMs * 2^attempt). Written so a huge
 * attempt count saturates at the cap instead of overflowing to Infinity or NaN.
 */
export function backoffCeiling(attempt: number, baseMs: number, capMs: number): number {
  const exponent = Math.max(0, Math.floor(attempt));
  if (exponent >= 52) return capMs;
  return Math.min(capMs, baseMs * 2 ** exponent);
}

/**
 * A wait drawn uniformly from the integers in [0, ceiling] ("full jitter", AWS Architecture Blog,
 * 2015): clients that failed together do not come back together. `random` returns [0, 1).
 */
export function fullJitter(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = backoffCeiling(attempt, baseMs, capMs);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.min(ceiling, Math.floor(r * (ceiling + 1)));
}
