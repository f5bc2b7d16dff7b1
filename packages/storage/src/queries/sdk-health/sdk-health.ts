// sdkHealth: what an account's SDK instances reported about their delivery over a window, as changes of their counters.
import type { SdkHealthCounters } from '../../storage.js';
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { named } from '../../dialects/postgres-named-params.js';
import { ACCOUNT_KEY_OF_NAMED } from '../accounts/account-key.js';

/** What an account's SDK instances reported over a window: how many reported, and how much their counters grew. */
export interface SdkHealthFacts extends SdkHealthCounters {
  instances: number;
  /** The largest sender clock offset any instance showed in the window, in magnitude (ms). */
  maxClockSkewMs: number;
  /** Instances that showed an offset of more than a minute (the collector's default tolerance) in the window. */
  skewedInstances: number;
}

// Per instance that reported in [@from, @to): its latest counters in the window minus its latest
// before the window (0 for an instance that started inside it). Rows hold an hour's latest report,
// so the window reaches back to the start of the hour @from falls in. One text for both dialects:
// snake_case inside, quoted camelCase aliases outside (PostgreSQL folds unquoted ones to lower
// case; SUM of bigint is numeric there, which the connection reads back as a number).
/** An instance counts as skewed beyond the collector's default clock tolerance (clockToleranceMs). */
const SKEWED_MS = 60_000;
const WINDOW = `WITH inside AS (
    SELECT instance_id, MAX(delivered) AS delivered, MAX(retries) AS retries, MAX(auth_failures) AS auth_failures,
      MAX(dropped) AS dropped, MAX(navigations) AS navigations, MAX(bot_navigations) AS bot_navigations,
      MAX(ABS(clock_offset_ms)) AS clock_skew_ms
    FROM sdk_health WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND reported_at >= @from AND reported_at < @to
    GROUP BY instance_id),
  before AS (
    SELECT instance_id, MAX(delivered) AS delivered, MAX(retries) AS retries, MAX(auth_failures) AS auth_failures,
      MAX(dropped) AS dropped, MAX(navigations) AS navigations, MAX(bot_navigations) AS bot_navigations
    FROM sdk_health WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND reported_at < @from
      AND instance_id IN (SELECT instance_id FROM inside)
    GROUP BY instance_id)
  SELECT COUNT(*) AS instances,
    COALESCE(SUM(i.delivered - COALESCE(b.delivered, 0)), 0) AS delivered,
    COALESCE(SUM(i.retries - COALESCE(b.retries, 0)), 0) AS retries,
    COALESCE(SUM(i.auth_failures - COALESCE(b.auth_failures, 0)), 0) AS "authFailures",
    COALESCE(SUM(i.dropped - COALESCE(b.dropped, 0)), 0) AS dropped,
    COALESCE(SUM(i.navigations - COALESCE(b.navigations, 0)), 0) AS navigations,
    COALESCE(SUM(i.bot_navigations - COALESCE(b.bot_navigations, 0)), 0) AS "botNavigations",
    COALESCE(MAX(i.clock_skew_ms), 0) AS "maxClockSkewMs",
    COUNT(CASE WHEN i.clock_skew_ms > ${SKEWED_MS} THEN 1 END) AS "skewedInstances"
  FROM inside AS i LEFT JOIN before AS b ON b.instance_id = i.instance_id`;
const PG_WINDOW = named<'account' | 'from' | 'to'>(WINDOW);

export function sdkHealth(
  conn: Connection,
  accountId: string,
  window: { from: number; to: number },
): Promise<SdkHealthFacts> {
  const params = { account: accountId, from: window.from, to: window.to };
  return runQuery(conn, 'sdkHealth', {
    sqlite: (c) => c.statement<[typeof params], SdkHealthFacts>(WINDOW).get(params) as SdkHealthFacts,
    postgres: async (c) =>
      (await c.rows<SdkHealthFacts>(PG_WINDOW.text, PG_WINDOW.values(params)))[0] as SdkHealthFacts,
  });
}
