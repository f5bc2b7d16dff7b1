// Writes visitor-hour refcounts, their gap counts and distinct visitors per day (visitor-sets.ts) inside the caller's write transaction, in both dialects.
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import {
  groupKey,
  dayDeltasOf,
  gapDeltasOf,
  hourSetChanges,
  type DayDelta,
  type GapDelta,
  type MembershipDelta,
  type VisitorGroup,
  type VisitorHourRow,
} from './visitor-sets.js';

// A write reads every stored hour of each visitor it touches (in each touched dimension value),
// then derives the gap changes in memory from the sets before and after. A visitor has a handful
// of hours; a bot with thousands makes its own writes slower, never wrong. On PostgreSQL the
// caller holds the visitor's advisory lock (session-shapes.ts), so no other writer changes these
// sets between the read and the write.

function groupsOf(deltas: readonly MembershipDelta[]): VisitorGroup[] {
  const seen = new Map<string, VisitorGroup>();
  for (const d of deltas)
    seen.set(groupKey(d), { accountKey: d.accountKey, dim: d.dim, value: d.value, visitorId: d.visitorId });
  return [...seen.values()];
}

const SQLITE_CURRENT = `SELECT vh.account_key AS accountKey, vh.dim, vh.value, vh.visitor_id AS visitorId, vh.hour, vh.sessions
  FROM json_each(?) AS j
  CROSS JOIN visitor_hours AS vh ON vh.account_key = j.value ->> 0 AND vh.dim = j.value ->> 1 AND vh.value = j.value ->> 2
    AND vh.visitor_id = j.value ->> 3`;
// Rows whose count reaches zero are deleted: a stored row always means "a session started then".
const SQLITE_HOURS = `INSERT INTO visitor_hours (account_key, dim, value, visitor_id, hour, sessions) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (account_key, dim, value, visitor_id, hour) DO UPDATE SET sessions = visitor_hours.sessions + excluded.sessions`;
const SQLITE_EMPTY_HOURS = `DELETE FROM visitor_hours WHERE account_key = ? AND dim = ? AND value = ? AND visitor_id = ? AND hour = ?
  AND sessions <= 0`;
const SQLITE_GAPS = `INSERT INTO visitor_gaps (account_key, dim, hour, value, prev_hour, visitors) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (account_key, dim, hour, value, prev_hour) DO UPDATE SET visitors = visitor_gaps.visitors + excluded.visitors`;
const SQLITE_EMPTY_GAPS = `DELETE FROM visitor_gaps WHERE account_key = ? AND dim = ? AND hour = ? AND value = ? AND prev_hour = ?
  AND visitors = 0`;

const SQLITE_DAYS = `INSERT INTO visitor_days (account_key, day, visitors) VALUES (?, ?, ?)
  ON CONFLICT (account_key, day) DO UPDATE SET visitors = visitor_days.visitors + excluded.visitors`;
const SQLITE_EMPTY_DAYS = 'DELETE FROM visitor_days WHERE account_key = ? AND day = ? AND visitors = 0';

const hourParams = (d: MembershipDelta): unknown[] => [d.accountKey, d.dim, d.value, d.visitorId, d.hour];
const gapParams = (d: GapDelta): unknown[] => [d.accountKey, d.dim, d.hour, d.value, d.prevHour];
const dayParams = (d: DayDelta): unknown[] => [d.accountKey, d.day];

export function sqliteWriteVisitorSets(c: SqliteConnection, deltas: readonly MembershipDelta[]): void {
  if (deltas.length === 0) return;
  const keys = JSON.stringify(groupsOf(deltas).map((g) => [g.accountKey, g.dim, g.value, g.visitorId]));
  const current = c.statement<[string], VisitorHourRow>(SQLITE_CURRENT).all(keys);
  const changes = hourSetChanges(current, deltas);
  const gaps = gapDeltasOf(changes);
  const hours = c.statement(SQLITE_HOURS);
  for (const d of deltas) hours.run(...hourParams(d), d.sessions);
  const emptyHours = c.statement(SQLITE_EMPTY_HOURS);
  for (const d of deltas) if (d.sessions < 0) emptyHours.run(...hourParams(d));
  const gap = c.statement(SQLITE_GAPS);
  for (const d of gaps) gap.run(...gapParams(d), d.visitors);
  const emptyGaps = c.statement(SQLITE_EMPTY_GAPS);
  for (const d of gaps) if (d.visitors < 0) emptyGaps.run(...gapParams(d));
  const days = dayDeltasOf(changes);
  const day = c.statement(SQLITE_DAYS);
  for (const d of days) day.run(...dayParams(d), d.visitors);
  const emptyDays = c.statement(SQLITE_EMPTY_DAYS);
  for (const d of days) if (d.visitors < 0) emptyDays.run(...dayParams(d));
}

const PG_CURRENT = `SELECT vh.account_key AS "accountKey", vh.dim, vh.value, vh.visitor_id AS "visitorId", vh.hour, vh.sessions
  FROM unnest($1::integer[], $2::integer[], $3::text[], $4::text[]) AS x (account_key, dim, value, visitor_id)
  JOIN visitor_hours AS vh ON vh.account_key = x.account_key AND vh.dim = x.dim AND vh.value = x.value AND vh.visitor_id = x.visitor_id`;
const PG_HOURS = `INSERT INTO visitor_hours (account_key, dim, value, visitor_id, hour, sessions)
  SELECT * FROM unnest($1::integer[], $2::integer[], $3::text[], $4::text[], $5::bigint[], $6::integer[])
  ON CONFLICT (account_key, dim, value, visitor_id, hour) DO UPDATE SET sessions = visitor_hours.sessions + excluded.sessions`;
const PG_EMPTY_HOURS = `DELETE FROM visitor_hours AS r USING unnest($1::integer[], $2::integer[], $3::text[], $4::text[], $5::bigint[])
    AS x (account_key, dim, value, visitor_id, hour)
  WHERE r.account_key = x.account_key AND r.dim = x.dim AND r.value = x.value AND r.visitor_id = x.visitor_id AND r.hour = x.hour
    AND r.sessions <= 0`;
const PG_GAPS = `INSERT INTO visitor_gaps (account_key, dim, hour, value, prev_hour, visitors)
  SELECT * FROM unnest($1::integer[], $2::integer[], $3::bigint[], $4::text[], $5::bigint[], $6::integer[])
  ON CONFLICT (account_key, dim, hour, value, prev_hour) DO UPDATE SET visitors = visitor_gaps.visitors + excluded.visitors`;
const PG_EMPTY_GAPS = `DELETE FROM visitor_gaps AS r USING unnest($1::integer[], $2::integer[], $3::bigint[], $4::text[], $5::bigint[])
    AS x (account_key, dim, hour, value, prev_hour)
  WHERE r.account_key = x.account_key AND r.dim = x.dim AND r.hour = x.hour AND r.value = x.value AND r.prev_hour = x.prev_hour
    AND r.visitors = 0`;

const PG_DAYS = `INSERT INTO visitor_days (account_key, day, visitors)
  SELECT * FROM unnest($1::integer[], $2::integer[], $3::integer[])
  ON CONFLICT (account_key, day) DO UPDATE SET visitors = visitor_days.visitors + excluded.visitors`;
const PG_EMPTY_DAYS = `DELETE FROM visitor_days AS r USING unnest($1::integer[], $2::integer[]) AS x (account_key, day)
  WHERE r.account_key = x.account_key AND r.day = x.day AND r.visitors = 0`;

function columns<T>(rows: readonly T[], pick: (row: T) => unknown[]): unknown[][] {
  const picked = rows.map(pick);
  return (picked[0] ?? []).map((_, i) => picked.map((p) => p[i]));
}

// Upserts then deletes in separate statements: a statement's parts all read one snapshot, so the
// delete must see the upsert's result.
export async function pgWriteVisitorSets(client: PgQueryable, deltas: readonly MembershipDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const groups = groupsOf(deltas);
  const current = (
    await client.query<VisitorHourRow>(PG_CURRENT, [
      groups.map((g) => g.accountKey),
      groups.map((g) => g.dim),
      groups.map((g) => g.value),
      groups.map((g) => g.visitorId),
    ])
  ).rows;
  const changes = hourSetChanges(current, deltas);
  const gaps = gapDeltasOf(changes);
  await client.query(
    PG_HOURS,
    columns(deltas, (d) => [...hourParams(d), d.sessions]),
  );
  const emptied = deltas.filter((d) => d.sessions < 0);
  if (emptied.length > 0) await client.query(PG_EMPTY_HOURS, columns(emptied, hourParams));
  if (gaps.length > 0)
    await client.query(
      PG_GAPS,
      columns(gaps, (d) => [...gapParams(d), d.visitors]),
    );
  const gone = gaps.filter((d) => d.visitors < 0);
  if (gone.length > 0) await client.query(PG_EMPTY_GAPS, columns(gone, gapParams));
  const days = dayDeltasOf(changes);
  if (days.length > 0)
    await client.query(
      PG_DAYS,
      columns(days, (d) => [...dayParams(d), d.visitors]),
    );
  const left = days.filter((d) => d.visitors < 0);
  if (left.length > 0) await client.query(PG_EMPTY_DAYS, columns(left, dayParams));
}
