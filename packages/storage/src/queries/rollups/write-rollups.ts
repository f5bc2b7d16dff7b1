// Adds rollup deltas (sessions, items, span bounds) inside the caller's write transaction, in both dialects.
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { DimDelta, ItemRollupDelta, SessionRollupDeltas } from './rollup-deltas.js';
import { pgMarkJourneys, pathMarks, sqliteMarkJourneys } from '../journeys/journey-marks.js';
import { pgWritePathSteps, sqliteWritePathSteps } from './write-path-steps.js';
import { pgWriteVisitorSets, sqliteWriteVisitorSets } from './write-visitor-sets.js';

export interface RollupDeltas {
  sessions: SessionRollupDeltas;
  items: readonly ItemRollupDelta[];
  spans: ReadonlyArray<{ accountKey: number; maxSpan: number }>;
}

const SESSION_KEY = 'account_key, dim, hour, value';

// A row whose count reaches zero is deleted, so every stored row stands for at least one session.
const SQLITE_SESSIONS = `INSERT INTO rollup_dims (${SESSION_KEY}, sessions) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (${SESSION_KEY}) DO UPDATE SET sessions = rollup_dims.sessions + excluded.sessions`;
const SQLITE_EMPTY =
  'DELETE FROM rollup_dims WHERE account_key = ? AND dim = ? AND hour = ? AND value = ? AND sessions = 0';
const SQLITE_ITEMS = `INSERT INTO rollup_items (account_key, hour, events, conversions, revenue_units, revenue_micros)
  VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_key, hour) DO UPDATE SET
    events = rollup_items.events + excluded.events, conversions = rollup_items.conversions + excluded.conversions,
    revenue_units = rollup_items.revenue_units + excluded.revenue_units,
    revenue_micros = rollup_items.revenue_micros + excluded.revenue_micros`;
const SQLITE_SPANS = `INSERT INTO session_spans (account_key, max_span) VALUES (?, ?)
  ON CONFLICT (account_key) DO UPDATE SET max_span = max(session_spans.max_span, excluded.max_span)`;

const sessionParams = (d: DimDelta): unknown[] => [d.accountKey, d.dim, d.hour, d.value];

export function sqliteWriteRollups(c: SqliteConnection, deltas: RollupDeltas): void {
  const upsert = c.statement(SQLITE_SESSIONS);
  for (const d of deltas.sessions.dims) upsert.run(...sessionParams(d), d.sessions);
  const empty = c.statement(SQLITE_EMPTY);
  for (const d of deltas.sessions.dims) if (d.sessions < 0) empty.run(...sessionParams(d));
  sqliteWriteVisitorSets(c, deltas.sessions.memberships);
  sqliteWritePathSteps(c, deltas.sessions.paths);
  sqliteMarkJourneys(c, pathMarks(deltas.sessions.paths));
  const items = c.statement(SQLITE_ITEMS);
  for (const d of deltas.items)
    items.run(d.accountKey, d.hour, d.events, d.conversions, d.revenueUnits, d.revenueMicros);
  const spans = c.statement(SQLITE_SPANS);
  for (const s of deltas.spans) spans.run(s.accountKey, s.maxSpan);
}

// PostgreSQL: one statement per table over column arrays; deltas come merged per key and sorted,
// so one statement never touches a row twice and concurrent writers lock rows in one order.
const PG_SESSIONS = `INSERT INTO rollup_dims (${SESSION_KEY}, sessions)
  SELECT * FROM unnest($1::integer[], $2::integer[], $3::bigint[], $4::text[], $5::integer[])
  ON CONFLICT (${SESSION_KEY}) DO UPDATE SET sessions = rollup_dims.sessions + excluded.sessions`;
const PG_EMPTY = `DELETE FROM rollup_dims AS r USING unnest($1::integer[], $2::integer[], $3::bigint[], $4::text[]) AS x (account_key, dim, hour, value)
  WHERE r.account_key = x.account_key AND r.dim = x.dim AND r.hour = x.hour AND r.value = x.value AND r.sessions = 0`;
const PG_ITEMS = `INSERT INTO rollup_items (account_key, hour, events, conversions, revenue_units, revenue_micros)
  SELECT * FROM unnest($1::integer[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[])
  ON CONFLICT (account_key, hour) DO UPDATE SET
    events = rollup_items.events + excluded.events, conversions = rollup_items.conversions + excluded.conversions,
    revenue_units = rollup_items.revenue_units + excluded.revenue_units,
    revenue_micros = rollup_items.revenue_micros + excluded.revenue_micros`;
const PG_SPANS = `INSERT INTO session_spans (account_key, max_span)
  SELECT * FROM unnest($1::integer[], $2::bigint[])
  ON CONFLICT (account_key) DO UPDATE SET max_span = GREATEST(session_spans.max_span, excluded.max_span)`;

function columns<T>(rows: readonly T[], pick: ReadonlyArray<(row: T) => unknown>): unknown[][] {
  return pick.map((p) => rows.map(p));
}

const SESSION_COLUMNS: ReadonlyArray<(d: DimDelta) => unknown> = [
  (d) => d.accountKey,
  (d) => d.dim,
  (d) => d.hour,
  (d) => d.value,
];

// One round trip for the three upserts (they touch different tables); the rows a negative delta
// emptied are deleted by a second statement, since a statement's parts all read one snapshot.
const PG_ALL = `WITH session_rows AS (${PG_SESSIONS}),
  item_rows AS (${PG_ITEMS.replace(/\$(\d)/g, (_m, n: string) => `$${Number(n) + 5}`)})
  ${PG_SPANS.replace(/\$(\d)/g, (_m, n: string) => `$${Number(n) + 11}`)}`;

export async function pgWriteRollups(client: PgQueryable, deltas: RollupDeltas): Promise<void> {
  const dims = deltas.sessions.dims;
  if (dims.length + deltas.items.length + deltas.spans.length > 0)
    await client.query(PG_ALL, [
      ...columns(dims, [...SESSION_COLUMNS, (d) => d.sessions]),
      ...columns(deltas.items, [
        (d) => d.accountKey,
        (d) => d.hour,
        (d) => d.events,
        (d) => d.conversions,
        (d) => d.revenueUnits,
        (d) => d.revenueMicros,
      ]),
      ...columns(deltas.spans, [(s) => s.accountKey, (s) => s.maxSpan]),
    ]);
  const emptied = dims.filter((d) => d.sessions < 0);
  if (emptied.length > 0) await client.query(PG_EMPTY, columns(emptied, SESSION_COLUMNS));
  await pgWriteVisitorSets(client, deltas.sessions.memberships);
  await pgWritePathSteps(client, deltas.sessions.paths);
  await pgMarkJourneys(client, pathMarks(deltas.sessions.paths));
}
