// The collector's cookieless settings as the worker step uses them (defaults live in server-settings.ts).

export interface CookielessSettings {
  /** Items of one cookieless visitor less than this apart are one session. */
  sessionTimeoutMs: number;
  /** A day's secret lives this long after the day ends (UTC), for items that reach the worker late. */
  secretMarginMs: number;
}

/** What applyPass uses when its caller passes none (tests of the pure transform). */
export const DEFAULT_COOKIELESS: CookielessSettings = { sessionTimeoutMs: 30 * 60_000, secretMarginMs: 6 * 3_600_000 };
