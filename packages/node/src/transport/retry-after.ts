// Reads a Retry-After header (delay-seconds or HTTP-date) into a wait in milliseconds.

const SECONDS = /^\s*(\d+(?:\.\d+)?)\s*$/;

/**
 * Milliseconds to wait, or null when the header is absent or unreadable (the caller then
 * falls back to its own backoff). A date in the past means "now": 0. Pure: the clock is passed in.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const seconds = SECONDS.exec(value);
  if (seconds) return Math.ceil(Number(seconds[1]) * 1000);
  // Only real dates: Date.parse accepts bare numbers like "-5" or "12", which are not HTTP-dates.
  if (!/[a-z]/i.test(value)) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
