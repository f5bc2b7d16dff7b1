// maintain: creates time partitions ahead (PostgreSQL) and applies retention to events and processed inbox rows.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import {
  dropExpiredPartitions,
  ensurePartition,
  PARTITIONED,
  wantedMonths,
  type PartitionedTable,
} from './pg-partitions.js';

export interface MaintenanceOptions {
  now: number;
  /** Delete events and processed inbox rows older than this many days; null keeps everything. */
  retentionDays: number | null;
}

/** What a maintenance run did: PostgreSQL partitions created and dropped, rows deleted outside them. */
export interface MaintenanceResult {
  partitionsCreated: string[];
  partitionsDropped: string[];
  rowsDeleted: number;
}

const DAY = 86_400_000;

/** One maintainer at a time per schema; the others skip their turn instead of queueing DDL. */
const MAINTENANCE_LOCK_CLASS = 0x70c5;

// SQLite has no partitions: retention deletes rows. Never a pending inbox row; a dead row's record
// goes with its inbox row. The inbox row's (account, item id) key goes too, so an item retried
// after retention would be stored again: the collector rejects items that old anyway (maxPastAgeMs).
const SQLITE_EVENTS = 'DELETE FROM events WHERE occurred_at < ?';
const SQLITE_OLD_INBOX = 'SELECT seq FROM inbox WHERE received_at < ? AND seq NOT IN (SELECT seq FROM inbox_pending)';
const SQLITE_DEAD = `DELETE FROM inbox_dead WHERE seq IN (${SQLITE_OLD_INBOX})`;
const SQLITE_INBOX = `DELETE FROM inbox WHERE seq IN (${SQLITE_OLD_INBOX})`;

// Retention deletes events, never sessions or conversions, so only rollup_items.events can fall
// out of step. Every rollup hour that starts before the cutoff and still counts events is counted
// again from the events that remain: on SQLite that is the cutoff's own hour after the first run;
// on PostgreSQL, which keeps a month until all of it is past the cutoff, it is also that month's
// hours. Hours left with nothing at all are deleted.
const RECOUNT = (cutoffHour: string): string => `UPDATE rollup_items SET events = (SELECT COUNT(*) FROM events AS e
    WHERE e.account_key = rollup_items.account_key AND e.occurred_at >= rollup_items.hour * 3600000
      AND e.occurred_at < (rollup_items.hour + 1) * 3600000)
  WHERE hour < ${cutoffHour} AND events > 0`;
const EMPTY_HOURS = (cutoffHour: string): string => `DELETE FROM rollup_items
  WHERE hour < ${cutoffHour} AND events = 0 AND conversions = 0 AND revenue_units = 0 AND revenue_micros = 0`;
// The first hour that starts at or after the cutoff.
const SQLITE_CUTOFF_HOUR = '((? + 3599999) / 3600000)';
const PG_CUTOFF_HOUR = '(($1::bigint + 3599999) / 3600000)';

function sqliteMaintain(c: SqliteConnection, cutoff: number | null): MaintenanceResult {
  const result: MaintenanceResult = { partitionsCreated: [], partitionsDropped: [], rowsDeleted: 0 };
  if (cutoff === null) return result;
  c.db
    .transaction(() => {
      result.rowsDeleted += c.statement<[number]>(SQLITE_EVENTS).run(cutoff).changes;
      c.statement<[number]>(RECOUNT(SQLITE_CUTOFF_HOUR)).run(cutoff);
      c.statement<[number]>(EMPTY_HOURS(SQLITE_CUTOFF_HOUR)).run(cutoff);
      c.statement<[number]>(SQLITE_DEAD).run(cutoff);
      result.rowsDeleted += c.statement<[number]>(SQLITE_INBOX).run(cutoff).changes;
    })
    .immediate();
  return result;
}

/** The partitions `now` needs, created inside the caller's transaction (migrate() uses it too). */
export async function ensureCurrentPartitions(
  client: PgQueryable,
  now: number,
  cutoff: number | null = null,
): Promise<string[]> {
  const created: string[] = [];
  for (const table of Object.keys(PARTITIONED) as PartitionedTable[]) {
    for (const month of wantedMonths(now, cutoff)) {
      if (await ensurePartition(client, table, month))
        created.push(`${table}:${month.year}-${String(month.month + 1).padStart(2, '0')}`);
    }
  }
  return created;
}

// Rows older than the cutoff that sit in a DEFAULT partition (or were never partitioned: the dedupe keys).
const PG_OLD_DEFAULT_EVENTS = 'DELETE FROM events_default WHERE occurred_at < $1';
// A dead row is never pending, so every dead-letter record older than the cutoff goes with its inbox row.
const PG_OLD_DEAD = 'DELETE FROM inbox_dead WHERE received_at < $1';
const PG_OLD_DEFAULT_INBOX = `DELETE FROM inbox_default AS i WHERE i.received_at < $1
  AND NOT EXISTS (SELECT 1 FROM inbox_pending AS p WHERE p.seq = i.seq)`;
const PG_OLD_KEYS = 'DELETE FROM inbox_keys WHERE received_at < $1';

async function pgMaintain(client: PgQueryable, now: number, cutoff: number | null): Promise<MaintenanceResult> {
  const result: MaintenanceResult = { partitionsCreated: [], partitionsDropped: [], rowsDeleted: 0 };
  const lock = await client.query<{ got: boolean }>(
    "SELECT pg_try_advisory_xact_lock($1, hashtext(current_setting('search_path'))) AS got",
    [MAINTENANCE_LOCK_CLASS],
  );
  if (lock.rows[0]?.got !== true) return result;
  result.partitionsCreated = await ensureCurrentPartitions(client, now, cutoff);
  if (cutoff === null) return result;
  for (const table of Object.keys(PARTITIONED) as PartitionedTable[]) {
    const { dropped, rowsDeleted } = await dropExpiredPartitions(client, table, cutoff);
    result.partitionsDropped.push(...dropped);
    result.rowsDeleted += rowsDeleted;
  }
  result.rowsDeleted += (await client.query(PG_OLD_DEFAULT_EVENTS, [cutoff])).rowCount ?? 0;
  await client.query(RECOUNT(PG_CUTOFF_HOUR), [cutoff]);
  await client.query(EMPTY_HOURS(PG_CUTOFF_HOUR), [cutoff]);
  await client.query(PG_OLD_DEAD, [cutoff]);
  result.rowsDeleted += (await client.query(PG_OLD_DEFAULT_INBOX, [cutoff])).rowCount ?? 0;
  await client.query(PG_OLD_KEYS, [cutoff]);
  return result;
}

/**
 * Run periodically by the collector. With `retentionDays`, events older than that (by occurred_at)
 * and processed inbox rows older than that (by received_at) go: on PostgreSQL whole monthly
 * partitions are dropped once all of their month is past the cutoff (plus stray old rows in the
 * DEFAULT partitions), on SQLite the rows are deleted. Pending inbox rows are never touched.
 */
export function maintain(conn: Connection, options: MaintenanceOptions): Promise<MaintenanceResult> {
  const cutoff = options.retentionDays === null ? null : options.now - options.retentionDays * DAY;
  return runQuery(conn, 'maintain', {
    sqlite: (c) => sqliteMaintain(c, cutoff),
    postgres: (c) => c.transaction((client) => pgMaintain(client, options.now, cutoff)),
  });
}
