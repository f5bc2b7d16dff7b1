// inboxHealth: backlog and dead-letter counts across all accounts, for metrics and readiness.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { InboxHealth } from '../../storage.js';

interface HealthRow { pending: number; dead: number; oldest: number | null }

// One statement, so the three numbers come from one snapshot. The oldest pending row is the
// first by seq (arrival order), found from the status index without scanning the backlog.
const SQLITE_HEALTH = `SELECT
  (SELECT COUNT(*) FROM inbox WHERE status = 'pending') AS pending,
  (SELECT COUNT(*) FROM inbox WHERE status = 'dead') AS dead,
  (SELECT received_at FROM inbox WHERE status = 'pending' ORDER BY seq LIMIT 1) AS oldest`;

export function readInboxHealth(conn: Connection): Promise<InboxHealth> {
  return runQuery(conn, 'inboxHealth', {
    sqlite: (c) => {
      const row = c.statement<[], HealthRow>(SQLITE_HEALTH).get() as HealthRow;
      return { pending: row.pending, dead: row.dead, oldestPendingAt: row.oldest };
    },
  });
}
