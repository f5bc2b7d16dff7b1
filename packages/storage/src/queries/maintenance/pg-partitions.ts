// PostgreSQL's monthly time partitions of inbox and events: which months exist, creating them ahead, dropping expired ones.
import type { PgQueryable } from '../../dialects/postgres-connection.js';

/** The partitioned tables and their partition key; identifiers reach DDL only from this allowlist. */
export const PARTITIONED = { inbox: 'received_at', events: 'occurred_at' } as const;
export type PartitionedTable = keyof typeof PARTITIONED;

/** Months created ahead of the current one, and kept behind it, so inserts land in a real partition. */
const MONTHS_AHEAD = 2;
const MONTHS_BEHIND = 1;

export interface Month {
  year: number;
  month: number;
}

/** The UTC month containing `ms`, shifted by `offset` months. */
export function monthOf(ms: number, offset = 0): Month {
  const d = new Date(ms);
  const index = d.getUTCFullYear() * 12 + d.getUTCMonth() + offset;
  return { year: Math.floor(index / 12), month: index % 12 };
}

/** [from, to) of a month in epoch ms. */
export function monthRange(m: Month): { from: number; to: number } {
  return { from: Date.UTC(m.year, m.month, 1), to: Date.UTC(m.year, m.month + 1, 1) };
}

export function partitionName(table: PartitionedTable, m: Month): string {
  return `${table}_p${m.year}${String(m.month + 1).padStart(2, '0')}`;
}

const NAME = /^(inbox|events)_p(\d{4})(\d{2})$/;

/** The month a partition name stands for, or null for the DEFAULT partition and anything else. */
export function parsePartitionName(name: string): { table: PartitionedTable; month: Month } | null {
  const m = NAME.exec(name);
  if (m === null) return null;
  return { table: m[1] as PartitionedTable, month: { year: Number(m[2]), month: Number(m[3]) - 1 } };
}

/** The months that should exist at `now`: one behind through two ahead, none wholly older than `keepFrom`. */
export function wantedMonths(now: number, keepFrom: number | null): Month[] {
  const months: Month[] = [];
  for (let offset = -MONTHS_BEHIND; offset <= MONTHS_AHEAD; offset++) {
    const m = monthOf(now, offset);
    if (keepFrom === null || monthRange(m).to > keepFrom) months.push(m);
  }
  return months;
}

export async function listPartitions(client: PgQueryable, table: PartitionedTable): Promise<string[]> {
  const rows = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits AS i
    JOIN pg_class AS c ON c.oid = i.inhrelid WHERE i.inhparent = $1::text::regclass ORDER BY c.relname`,
    [table],
  );
  return rows.rows.map((r) => r.name);
}

/**
 * Creates `table`'s partition for month `m` unless it exists. Rows already in the DEFAULT partition
 * for that month (written before the partition existed) move into it first, since PostgreSQL
 * refuses to attach a range the DEFAULT partition holds rows of. Returns whether it was created.
 */
export async function ensurePartition(client: PgQueryable, table: PartitionedTable, m: Month): Promise<boolean> {
  const name = partitionName(table, m);
  const exists = (await client.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [name])).rows[0]
    ?.found;
  if (exists !== null && exists !== undefined) return false;
  const { from, to } = monthRange(m);
  const key = PARTITIONED[table];
  await client.query(`CREATE TABLE ${name} (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
  await client.query(`WITH moved AS (DELETE FROM ${table}_default WHERE ${key} >= ${from} AND ${key} < ${to} RETURNING *)
    INSERT INTO ${name} SELECT * FROM moved`);
  await client.query(`ALTER TABLE ${table} ATTACH PARTITION ${name} FOR VALUES FROM (${from}) TO (${to})`);
  return true;
}

/**
 * Drops `table`'s partitions whose whole month is older than `cutoff`. An inbox partition that
 * still holds a pending row stays (retention never loses unprocessed data): only its other rows
 * are deleted. Returns the dropped names and the rows deleted from kept partitions.
 */
export async function dropExpiredPartitions(
  client: PgQueryable,
  table: PartitionedTable,
  cutoff: number,
): Promise<{ dropped: string[]; rowsDeleted: number }> {
  const dropped: string[] = [];
  let rowsDeleted = 0;
  for (const name of await listPartitions(client, table)) {
    const parsed = parsePartitionName(name);
    if (parsed === null) continue;
    const { from, to } = monthRange(parsed.month);
    if (to > cutoff) continue;
    if (table === 'inbox') {
      const pending = await client.query(
        'SELECT 1 FROM inbox_pending WHERE received_at >= $1 AND received_at < $2 LIMIT 1',
        [from, to],
      );
      if (pending.rows.length > 0) {
        const deleted = await client.query(
          `DELETE FROM ${name} AS i WHERE NOT EXISTS (SELECT 1 FROM inbox_pending AS p WHERE p.seq = i.seq)`,
        );
        rowsDeleted += deleted.rowCount ?? 0;
        continue;
      }
    }
    await client.query(`DROP TABLE ${name}`);
    dropped.push(name);
  }
  return { dropped, rowsDeleted };
}
