// recordSdkHealth: stores SDK instances' latest delivery-health reports (one row per instance and hour) and prunes old rows.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { SdkHealthReport } from '../../storage.js';
import { ACCOUNT_KEY_OF_NAMED } from '../accounts/account-key.js';

const HOUR = 3_600_000;
/** Rows older than this are deleted: the checks look back 24 h, plus the row before the window. */
export const SDK_HEALTH_RETENTION_MS = 8 * 24 * HOUR;

// Counters are cumulative per instance: MAX keeps the latest even when reports arrive out of order.
const SQLITE_UPSERT = `INSERT INTO sdk_health (account_key, instance_id, hour, reported_at, sdk, delivered, retries, auth_failures, dropped, navigations, bot_navigations)
  VALUES (${ACCOUNT_KEY_OF_NAMED}, @instanceId, @hour, @reportedAt, @sdk, @delivered, @retries, @authFailures, @dropped, @navigations, @botNavigations)
  ON CONFLICT (account_key, instance_id, hour) DO UPDATE SET
    reported_at = MAX(reported_at, excluded.reported_at), sdk = excluded.sdk,
    delivered = MAX(delivered, excluded.delivered), retries = MAX(retries, excluded.retries),
    auth_failures = MAX(auth_failures, excluded.auth_failures), dropped = MAX(dropped, excluded.dropped),
    navigations = MAX(navigations, excluded.navigations), bot_navigations = MAX(bot_navigations, excluded.bot_navigations)`;

const SQLITE_PRUNE = `DELETE FROM sdk_health WHERE account_key = ${ACCOUNT_KEY_OF_NAMED} AND reported_at < @before`;

/** One transaction for all reports; reports of unknown accounts abort it (the account key is NOT NULL). */
export function recordSdkHealth(conn: Connection, reports: readonly SdkHealthReport[]): Promise<void> {
  return runQuery(conn, 'recordSdkHealth', {
    sqlite: (c) => c.db.transaction(() => {
      const upsert = c.statement(SQLITE_UPSERT);
      const prune = c.statement(SQLITE_PRUNE);
      const accounts = new Map<string, number>();
      for (const r of reports) {
        upsert.run({ ...r, account: r.accountId, hour: Math.floor(r.reportedAt / HOUR) });
        accounts.set(r.accountId, Math.max(accounts.get(r.accountId) ?? 0, r.reportedAt));
      }
      for (const [account, latest] of accounts) prune.run({ account, before: latest - SDK_HEALTH_RETENTION_MS });
    }).immediate(),
  });
}
