// Adds rollup deltas (sessions, items, span bounds) inside the caller's write transaction, in both dialects.
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { ItemRollupDelta, LandingDelta, SessionRollupDeltas } from './rollup-deltas.js';
import { pgWriteVisitorSets, sqliteWriteVisitorSets } from './write-visitor-sets.js';

export interface RollupDeltas {
  sessions: SessionRollupDeltas;
  items: readonly ItemRollupDelta[];
  spans: ReadonlyArray<{ accountKey: number; maxSpan: number }>;
}

const SESSION_KEY = 'account_key, hour, channel, landing_path, referrer_host';

// A row whose count reaches zero is deleted, so every stored row stands for at least one session.
const SQLITE_SESSIONS = `INSERT INTO rollup_landings (${SESSION_KEY}, sessions) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (${SESSION_KEY}) DO UPDATE SET sessions = rollup_landings.sessions + excluded.sessions`;
const SQLITE_EMPTY = `DELETE FROM rollup_landings WHERE account_key = ? AND hour = ? AND channel = ?
  AND landing_path = ? AND referrer_host = ? AND sessions = 0`;
const SQLITE_ITEMS = `INSERT INTO rollup_items (account_key, hour, events, conversions, revenue_units, revenue_micros)
  VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_key, hour) DO UPDATE SET
    events = rollup_items.events + excluded.events, conversions = rollup_items.conversions + excluded.conversions,
    revenue_units = rollup_items.revenue_units + excluded.revenue_units,
    revenue_micros = rollup_items.revenue_micros + excluded.revenue_micros`;
const SQLITE_SPANS = `INSERT INTO session_spans (account_key, max_span) VALUES (?, ?)
  ON CONFLICT (account_key) DO UPDATE SET max_span = max(session_spans.max_span, excluded.max_span)`;

const sessionParams = (d: LandingDelta): unknown[] => [d.accountKey, d.hour, d.channel, d.landingPath, d.referrerHost];

export function sqliteWriteRollups(c: SqliteConnection, deltas: RollupDeltas): void {
  const upsert = c.statement(SQLITE_SESSIONS);
  for (const d of deltas.sessions.landings) upsert.run(...sessionParams(d), d.sessions);
  const empty = c.statement(SQLITE_EMPTY);
  for (const d of deltas.sessions.landings) if (d.sessions < 0) empty.run(...sessionParams(d));
  sqliteWriteVisitorSets(c, deltas.sessions.memberships);
  const items = c.statement(SQLITE_ITEMS);
  for (const d of deltas.items) items.run(d.accountKey, d.hour, d.events, d.conversions, d.revenueUnits, d.revenueMicros);
  const spans = c.statement(SQLITE_SPANS);
  for (const s of deltas.spans) spans.run(s.accountKey, s.maxSpan);
}

// PostgreSQL: one statement per table over column arrays; deltas come merged per key and sorted,
// so one statement never touches a row twice and concurrent writers lock rows in one order.
const PG_SESSIONS = `INSERT INTO rollup_landings (${SESSION_KEY}, sessions)
  SELECT * FROM unnest($1::integer[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::integer[])
  ON CONFLICT (${SESSION_KEY}) DO UPDATE SET sessions = rollup_landings.sessions + excluded.sessions`;
const PG_EMPTY = `DELETE FROM rollup_landings AS r USING unnest($1::integer[], $2::bigint[], $3::text[], $4::text[], $5::text[])
    AS x (account_key, hour, channel, landing_path, referrer_host)
  WHERE r.account_key = x.account_key AND r.hour = x.hour AND r.channel = x.channel
    AND r.landing_path = x.landing_path AND r.referrer_host = x.referrer_host AND r.sessions = 0`;
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

const SESSION_COLUMNS: ReadonlyArray<(d: LandingDelta) => unknown> = [
  (d) => d.accountKey, (d) => d.hour, (d) => d.channel, (d) => d.landingPath, (d) => d.referrerHost,
];

// One round trip for the three upserts (they touch different tables); the rows a negative delta
// emptied are deleted by a second statement, since a statement's parts all read one snapshot.
const PG_ALL = `WITH session_rows AS (${PG_SESSIONS}),
  item_rows AS (${PG_ITEMS.replace(/\$(\d)/g, (_m, n: string) => `$${Number(n) + 6}`)})
  ${PG_SPANS.replace(/\$(\d)/g, (_m, n: string) => `$${Number(n) + 12}`)}`;

export async function pgWriteRollups(client: PgQueryable, deltas: RollupDeltas): Promise<void> {
  const landings = deltas.sessions.landings;
  if (landings.length + deltas.items.length + deltas.spans.length > 0) await client.query(PG_ALL, [
    ...columns(landings, [...SESSION_COLUMNS, (d) => d.sessions]),
    ...columns(deltas.items, [(d) => d.accountKey, (d) => d.hour, (d) => d.events, (d) => d.conversions, (d) => d.revenueUnits, (d) => d.revenueMicros]),
    ...columns(deltas.spans, [(s) => s.accountKey, (s) => s.maxSpan]),
  ]);
  const emptied = landings.filter((d) => d.sessions < 0);
  if (emptied.length > 0) await client.query(PG_EMPTY, columns(emptied, SESSION_COLUMNS));
  await pgWriteVisitorSets(client, deltas.sessions.memberships);
}
