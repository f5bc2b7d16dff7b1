// SQL arms that read a planned range (hour-plan.ts): whole hours from the rollups, the pieces between from raw rows.
import { ACCOUNT_KEY_OF_NAMED } from '../accounts/account-key.js';
import { firstSpan, planArrays, planHours, planJson, wholeDays } from './hour-plan.js';

// Every arm yields the bucket number `i` first. SQLite: CROSS JOIN keeps the plan's spans as the
// outer loop (SQLite never reorders it), so each span is one range search of the index; left to
// itself the planner scanned the account's whole index with the spans inside. Both dialects use named parameters: @account, and
// the plan (SQLite: @hours and @pieces as JSON; PostgreSQL: six arrays, see planArrays).
const KEY = ACCOUNT_KEY_OF_NAMED;
/** The account's longest session span: a session started in [a, b) was last seen before b + span. */
const SPAN = `(SELECT max_span FROM session_spans WHERE account_key = ${KEY})`;

export interface ArmSql {
  /** Rows of `table` (alias r) in the plan's whole hours. */
  hours(table: 'rollup_items', columns: string): string;
  /** rollup_dims rows (alias r) of dimension `dim` in the plan's whole hours. */
  dims(dim: number, columns: string): string;
  /** PostgreSQL: the default collation, for a rollup value that must sort as a raw column does; SQLite: nothing. */
  rawCollation: string;
  /**
   * visitor_gaps rows (alias g) of dimension `dim` in the plan's whole hours whose previous hour
   * lies before their span: summed, each visitor with a session started in the span, once.
   */
  gaps(dim: number, columns: string, spans?: 'all' | 'notDays'): string;
  /**
   * visitor_days rows (alias d) of the plan's buckets whose whole-hour span is exactly one UTC day:
   * the day's distinct visitors, one row, for what `gaps(0, ..., 'notDays')` leaves out.
   */
  dayVisitors(columns: string): string;
  /** Sessions (alias s) that started in the plan's pieces. */
  startedIn(columns: string): string;
  /** Columns `sf, st` for startedIn: the whole-hour span of the piece's bucket ([0, 0) for none). */
  pieceSpan: string;
  /** Columns `sf, st` for activeAtFrom: the whole-hour span of bucket 0. */
  firstSpan: string;
  /** Rows of events or conversions (alias e) that happened in the plan's pieces. */
  happenedIn(table: 'events' | 'conversions', columns: string): string;
  /** Sessions (alias s) started before @before (min(from, to)) and last seen at or after @from. */
  activeAtFrom(columns: string): string;
  /** A conversion's revenue (alias e) as revenue-sum.ts splits it: `units` and `micros` (NULL for none). */
  revenueParts: string;
  /** Ends unseen()'s subquery: on PostgreSQL `OFFSET 0`, which keeps it a per-row index probe (see PG_ARMS). */
  probeFence: string;
}

// The plan's JSON is read into integer columns once per span or piece: comparing a row with
// `j.value ->> 0` extracts from the JSON text again for every row the range search visits (the
// visitor_gaps filter on prev_hour), 3x the time of the whole series' visitors arm (90 day spans,
// 111k gap rows: 147 against 48 ms, bench data). LIMIT -1 keeps SQLite from flattening the
// subquery back into the join (it never flattens a LIMIT subquery into a join).
const SQLITE_HOURS = `(SELECT value ->> 0 AS lo, value ->> 1 AS hi, value ->> 2 AS i FROM json_each(@hours) LIMIT -1) AS j`;
const SQLITE_GAP_HOURS = SQLITE_HOURS.replace('@hours', '@gapHours');
const SQLITE_DAYS = `(SELECT value ->> 0 AS day, value ->> 1 AS i FROM json_each(@days) LIMIT -1) AS j`;
const SQLITE_PIECES = `(SELECT value ->> 0 AS lo, value ->> 1 AS hi, value ->> 2 AS i, value ->> 3 AS sf, value ->> 4 AS st
    FROM json_each(@pieces) LIMIT -1) AS j`;

export const SQLITE_ARMS: ArmSql = {
  hours: (table, columns) => `SELECT j.i, ${columns} FROM ${SQLITE_HOURS}
    CROSS JOIN ${table} AS r ON r.account_key = ${KEY} AND r.hour >= j.lo AND r.hour < j.hi`,
  dims: (dim, columns) => `SELECT j.i, ${columns} FROM ${SQLITE_HOURS}
    CROSS JOIN rollup_dims AS r ON r.account_key = ${KEY} AND r.dim = ${dim} AND r.hour >= j.lo AND r.hour < j.hi`,
  rawCollation: '',
  gaps: (
    dim,
    columns,
    spans = 'all',
  ) => `SELECT j.i, ${columns} FROM ${spans === 'all' ? SQLITE_HOURS : SQLITE_GAP_HOURS}
    CROSS JOIN visitor_gaps AS g ON g.account_key = ${KEY} AND g.dim = ${dim} AND g.hour >= j.lo AND g.hour < j.hi
      AND g.prev_hour < j.lo`,
  dayVisitors: (columns) => `SELECT j.i, ${columns} FROM ${SQLITE_DAYS}
    CROSS JOIN visitor_days AS d ON d.account_key = ${KEY} AND d.day = j.day`,
  pieceSpan: 'j.sf, j.st',
  firstSpan: '@spanFrom AS sf, @spanTo AS st',
  startedIn: (columns) => `SELECT j.i, ${columns} FROM ${SQLITE_PIECES}
    CROSS JOIN sessions AS s ON s.account_key = ${KEY} AND s.last_seen_at >= j.lo AND s.last_seen_at < j.hi + ${SPAN}
      AND s.started_at >= j.lo AND s.started_at < j.hi`,
  happenedIn: (table, columns) => `SELECT j.i, ${columns} FROM ${SQLITE_PIECES}
    CROSS JOIN ${table} AS e ON e.account_key = ${KEY} AND e.occurred_at >= j.lo AND e.occurred_at < j.hi`,
  activeAtFrom: (columns) => `SELECT 0 AS i, ${columns} FROM sessions AS s
    WHERE s.account_key = ${KEY} AND s.last_seen_at >= @from AND s.last_seen_at < @from + ${SPAN} AND s.started_at < @before`,
  revenueParts:
    'CAST(e.revenue AS INTEGER) AS units, CAST(ROUND((e.revenue - CAST(e.revenue AS INTEGER)) * 1000000) AS INTEGER) AS micros',
  probeFence: '',
};

export const PG_ARMS: ArmSql = {
  hours: (
    table,
    columns,
  ) => `SELECT j.i, ${columns} FROM unnest(@hourFrom::bigint[], @hourTo::bigint[], @hourI::integer[]) AS j (lo, hi, i)
    JOIN ${table} AS r ON r.account_key = ${KEY} AND r.hour >= j.lo AND r.hour < j.hi`,
  dims: (
    dim,
    columns,
  ) => `SELECT j.i, ${columns} FROM unnest(@hourFrom::bigint[], @hourTo::bigint[], @hourI::integer[]) AS j (lo, hi, i)
    JOIN rollup_dims AS r ON r.account_key = ${KEY} AND r.dim = ${dim} AND r.hour >= j.lo AND r.hour < j.hi`,
  rawCollation: ' COLLATE "default"',
  gaps: (dim, columns, spans = 'all') => {
    const [lo, hi, i] = spans === 'all' ? ['hourFrom', 'hourTo', 'hourI'] : ['gapFrom', 'gapTo', 'gapI'];
    return `SELECT j.i, ${columns} FROM unnest(@${lo}::bigint[], @${hi}::bigint[], @${i}::integer[]) AS j (lo, hi, i)
    JOIN visitor_gaps AS g ON g.account_key = ${KEY} AND g.dim = ${dim} AND g.hour >= j.lo AND g.hour < j.hi AND g.prev_hour < j.lo`;
  },
  dayVisitors: (columns) => `SELECT j.i, ${columns} FROM unnest(@dayNo::integer[], @dayI::integer[]) AS j (day, i)
    JOIN visitor_days AS d ON d.account_key = ${KEY} AND d.day = j.day`,
  pieceSpan: 'j.sf, j.st',
  firstSpan: '@spanFrom::bigint AS sf, @spanTo::bigint AS st',
  startedIn: (
    columns,
  ) => `SELECT j.i, ${columns} FROM unnest(@pieceFrom::bigint[], @pieceTo::bigint[], @pieceI::integer[],
      @pieceSpanFrom::bigint[], @pieceSpanTo::bigint[]) AS j (lo, hi, i, sf, st)
    JOIN sessions AS s ON s.account_key = ${KEY} AND s.last_seen_at >= j.lo AND s.last_seen_at < j.hi + ${SPAN}
      AND s.started_at >= j.lo AND s.started_at < j.hi`,
  happenedIn: (
    table,
    columns,
  ) => `SELECT j.i, ${columns} FROM unnest(@pieceFrom::bigint[], @pieceTo::bigint[], @pieceI::integer[]) AS j (lo, hi, i)
    JOIN ${table} AS e ON e.account_key = ${KEY} AND e.occurred_at >= j.lo AND e.occurred_at < j.hi`,
  activeAtFrom: (columns) => `SELECT 0 AS i, ${columns} FROM sessions AS s
    WHERE s.account_key = ${KEY} AND s.last_seen_at >= @from::bigint AND s.last_seen_at < @from::bigint + ${SPAN} AND s.started_at < @before::bigint`,
  revenueParts: 'trunc(e.revenue)::bigint AS units, round((e.revenue - trunc(e.revenue)) * 1000000)::bigint AS micros',
  // Without the fence the planner turned stats' NOT EXISTS into a hash anti join that hashed every
  // dimension-0 visitor_hours row of the account (93,014 on the bench data) to check 41 raw
  // visitors: 155 of the 164 ms of stats over 30 days (EXPLAIN ANALYZE). OFFSET 0 keeps the
  // subquery from being pulled up into a join, so each raw row is one primary-key probe.
  probeFence: ' OFFSET 0',
};

/** Events (`events`) and conversions with revenue parts (`conversions`, `units`, `micros`) per bucket `i`, rollups and raw rows together. */
export function itemArms(a: ArmSql): { events: string; conversions: string } {
  return {
    events: `${a.hours('rollup_items', 'r.events AS events')} UNION ALL ${a.happenedIn('events', '1')}`,
    conversions: `${a.hours('rollup_items', 'r.conversions AS conversions, r.revenue_units AS units, r.revenue_micros AS micros')}
      UNION ALL ${a.happenedIn('conversions', `1, ${a.revenueParts}`)}`,
  };
}

/**
 * True when `visitor` started no session in the whole hours [sf, st) in dimension `dim`, value
 * `value`: the gap rows of that span did not count it, so a raw row may (one index probe).
 */
export function unseen(a: ArmSql, dim: number, value: string, visitor: string, sf: string, st: string): string {
  return `NOT EXISTS (SELECT 1 FROM visitor_hours AS vh WHERE vh.account_key = ${KEY} AND vh.dim = ${dim}
    AND vh.value = ${value} AND vh.visitor_id = ${visitor} AND vh.hour >= ${sf} AND vh.hour < ${st}${a.probeFence})`;
}

/** Parameters of a planned read: the account, `from`, and the plan in both dialects' shapes. */
export interface PlannedParams {
  sqlite: {
    account: string;
    from: number;
    before: number;
    spanFrom: number;
    spanTo: number;
    hours: string;
    pieces: string;
    /** [[day, i], ...]: buckets whose whole hours are exactly one UTC day, and the other spans as @hours. */
    days: string;
    gapHours: string;
  };
  postgres: { account: string; from: number; before: number; spanFrom: number; spanTo: number } & ReturnType<
    typeof planArrays
  > & { dayNo: number[]; dayI: number[]; gapFrom: number[]; gapTo: number[]; gapI: number[] };
}

/**
 * The plan of [from, to) in buckets of `bucket` ms counted from `origin` (one bucket: the whole
 * range) as parameters; an empty plan when to <= from.
 */
export function plannedParams(
  account: string,
  from: number,
  to: number,
  bucket: number = to - from,
  origin: number = from,
): PlannedParams {
  const plan = to > from ? planHours(from, to, bucket, origin) : { hours: [], pieces: [] };
  const before = Math.min(from, to);
  const [spanFrom, spanTo] = firstSpan(plan);
  const common = { account, from, before, spanFrom, spanTo };
  const { days, rest } = wholeDays(plan.hours);
  return {
    sqlite: {
      ...common,
      ...planJson(plan),
      days: JSON.stringify(days.map((d) => [d.day, d.i])),
      gapHours: JSON.stringify(rest.map((s) => [s.from, s.to, s.i])),
    },
    postgres: {
      ...common,
      ...planArrays(plan),
      dayNo: days.map((d) => d.day),
      dayI: days.map((d) => d.i),
      gapFrom: rest.map((s) => s.from),
      gapTo: rest.map((s) => s.to),
      gapI: rest.map((s) => s.i),
    },
  };
}
