// inboxHealth: backlog and dead-letter counts across all accounts, for metrics and readiness.
import { runQuery, type Connection } from '../../dialects/dialects.js';

export interface InboxHealth {
  pending: number;
  dead: number;
  oldestPendingAt: number | null;
}

interface HealthRow {
  pending: number;
  dead: number;
  oldest: number | null;
}

// One statement, so the three numbers come from one snapshot. The oldest pending row is the
// first by seq (arrival order): the smallest rowid of inbox_pending, then one lookup in inbox.
const SQLITE_HEALTH = `SELECT
  (SELECT COUNT(*) FROM inbox_pending) AS pending,
  (SELECT COUNT(*) FROM inbox_dead) AS dead,
  (SELECT received_at FROM inbox WHERE seq = (SELECT min(seq) FROM inbox_pending)) AS oldest`;

const PG_HEALTH = `SELECT
  (SELECT COUNT(*) FROM inbox_pending) AS pending,
  (SELECT COUNT(*) FROM inbox_dead) AS dead,
  (SELECT received_at FROM inbox_pending ORDER BY seq LIMIT 1) AS oldest`;
export function inboxHealth(conn: Connection): Promise<InboxHealth> {
  return runQuery(conn, 'inboxHealth', {
    sqlite: (c) => {
      const row = c.statement<[], HealthRow>(SQLITE_HEALTH).get() as HealthRow;
      return { pending: row.pending, dead: row.dead, oldestPendingAt: row.oldest };
    },
    // One statement is one snapshot on PostgreSQL too; inbox_pending carries received_at itself.
    postgres: async (c) => {
      const row = (await c.rows<HealthRow>(PG_HEALTH))[0] as HealthRow;
      return { pending: row.pending, dead: row.dead, oldestPendingAt: row.oldest };
    },
  });
}
