// recordSdkHealth: stores SDK instances' latest delivery-health reports (one row per instance and hour) and prunes old rows.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SdkHealthReport } from '../../storage.js';
import { ACCOUNT_KEY_OF_NAMED } from '../accounts/account-key.js';

const HOUR = 3_600_000;
/** Rows older than this are deleted: the checks look back 24 h, plus the row before the window. */
export const SDK_HEALTH_RETENTION_MS = 8 * 24 * HOUR;

// Counters are cumulative per instance: MAX keeps the latest even when reports arrive out of order.
// The clock offset keeps the hour's largest in magnitude: one skewed batch is enough to show.
const SQLITE_UPSERT = `INSERT INTO sdk_health (account_key, instance_id, hour, reported_at, sdk, delivered, retries, auth_failures, dropped, navigations, bot_navigations, clock_offset_ms)
  VALUES (${ACCOUNT_KEY_OF_NAMED}, @instanceId, @hour, @reportedAt, @sdk, @delivered, @retries, @authFailures, @dropped, @navigations, @botNavigations, @clockOffsetMs)
  ON CONFLICT (account_key, instance_id, hour) DO UPDATE SET
    reported_at = MAX(reported_at, excluded.reported_at), sdk = excluded.sdk,
    clock_offset_ms = CASE WHEN ABS(excluded.clock_offset_ms) > ABS(clock_offset_ms) THEN excluded.clock_offset_ms ELSE clock_offset_ms END,
    delivered = MAX(delivered, excluded.delivered), retries = MAX(retries, excluded.retries),
    auth_failures = MAX(auth_failures, excluded.auth_failures), dropped = MAX(dropped, excluded.dropped),
    navigations = MAX(navigations, excluded.navigations), bot_navigations = MAX(bot_navigations, excluded.bot_navigations)`;

const SQLITE_PRUNE = `DELETE FROM sdk_health WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND reported_at < @before`;

// PostgreSQL: all reports in one statement over parallel arrays. One INSERT may not update a row
// twice, so reports of one instance and hour are merged first, as the SQLite loop merges them one
// after another: MAX of each counter, and the sdk of the last such report in the list.
// LEFT JOIN accounts gives an unknown account a NULL key, which fails NOT NULL and aborts the transaction.
const COUNTERS = ['delivered', 'retries', 'auth_failures', 'dropped', 'navigations', 'bot_navigations'];
const PG_UPSERT = `INSERT INTO sdk_health (account_key, instance_id, hour, reported_at, sdk, ${COUNTERS.join(', ')}, clock_offset_ms)
  SELECT a.key, x.instance_id, x.hour, MAX(x.reported_at), (array_agg(x.sdk ORDER BY x.n DESC))[1],
    ${COUNTERS.map((col) => `MAX(x.${col})`).join(', ')}, (array_agg(x.clock_offset_ms ORDER BY abs(x.clock_offset_ms) DESC))[1]
  FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], ${COUNTERS.map((_, i) => `$${i + 6}::bigint[]`).join(', ')}, $${COUNTERS.length + 6}::bigint[])
    WITH ORDINALITY AS x (account, instance_id, hour, reported_at, sdk, ${COUNTERS.join(', ')}, clock_offset_ms, n)
  LEFT JOIN accounts AS a ON a.id = x.account
  GROUP BY a.key, x.instance_id, x.hour
  ON CONFLICT (account_key, instance_id, hour) DO UPDATE SET
    reported_at = GREATEST(sdk_health.reported_at, excluded.reported_at), sdk = excluded.sdk,
    clock_offset_ms = CASE WHEN abs(excluded.clock_offset_ms) > abs(sdk_health.clock_offset_ms) THEN excluded.clock_offset_ms ELSE sdk_health.clock_offset_ms END,
    ${COUNTERS.map((col) => `${col} = GREATEST(sdk_health.${col}, excluded.${col})`).join(',\n    ')}`;
const PG_PRUNE = `DELETE FROM sdk_health AS h USING unnest($1::text[], $2::bigint[]) AS x (account, bound)
  JOIN accounts AS a ON a.id = x.account
  WHERE h.account_key = a.key AND h.reported_at < x.bound`;

/** Per account, the prune bound: its latest report's time minus the retention. */
function pruneBounds(reports: readonly SdkHealthReport[]): Map<string, number> {
  const latest = new Map<string, number>();
  for (const r of reports) latest.set(r.accountId, Math.max(latest.get(r.accountId) ?? 0, r.reportedAt));
  return new Map([...latest].map(([account, at]) => [account, at - SDK_HEALTH_RETENTION_MS]));
}

async function pgRecord(client: PgQueryable, reports: readonly SdkHealthReport[]): Promise<void> {
  if (reports.length === 0) return;
  const column = (pick: (r: SdkHealthReport) => unknown): unknown[] => reports.map(pick);
  await client.query(PG_UPSERT, [
    column((r) => r.accountId),
    column((r) => r.instanceId),
    column((r) => Math.floor(r.reportedAt / HOUR)),
    column((r) => r.reportedAt),
    column((r) => r.sdk),
    column((r) => r.delivered),
    column((r) => r.retries),
    column((r) => r.authFailures),
    column((r) => r.dropped),
    column((r) => r.navigations),
    column((r) => r.botNavigations),
    column((r) => Math.round(r.clockOffsetMs ?? 0)),
  ]);
  const bounds = pruneBounds(reports);
  await client.query(PG_PRUNE, [[...bounds.keys()], [...bounds.values()]]);
}

/** One transaction for all reports; reports of unknown accounts abort it (the account key is NOT NULL). */
export function recordSdkHealth(conn: Connection, reports: readonly SdkHealthReport[]): Promise<void> {
  return runQuery(conn, 'recordSdkHealth', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          const upsert = c.statement(SQLITE_UPSERT);
          const prune = c.statement(SQLITE_PRUNE);
          for (const r of reports)
            upsert.run({
              ...r,
              account: r.accountId,
              hour: Math.floor(r.reportedAt / HOUR),
              clockOffsetMs: Math.round(r.clockOffsetMs ?? 0),
            });
          for (const [account, before] of pruneBounds(reports)) prune.run({ account, before });
        })
        .immediate(),
    postgres: (c) => c.transaction((client) => pgRecord(client, reports)),
  });
}
