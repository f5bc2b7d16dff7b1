// The landing order: which of a session's landing candidates is its landing, one rule for JS and both SQL dialects.
import type { SessionLanding } from '../../storage.js';

/** What landing order compares: a candidate's rank, time and item id. */
export type LandingKey = Pick<SessionLanding, 'rank' | 'at' | 'itemId'>;

/**
 * A session's landing is the best of its landing candidates (items that carry request context):
 * the highest rank (2 for a session start, plus 1 for a pageview), then the earliest time, then
 * the smallest item id. A total order on data the items carry, so any order and any partition of a
 * session's items into batches, passes and collectors ends with the same landing (DESIGN.md L12):
 * a merge keeps the better of the stored and the incoming candidate, never "whichever came first".
 *
 * Item ids are UUIDs (ASCII), so JS string order, SQLite's BINARY and PostgreSQL's "C" collation
 * (the landing_item column's) agree.
 */
export function landingBeats(candidate: LandingKey, stored: LandingKey | null): boolean {
  if (stored === null) return true;
  if (candidate.rank !== stored.rank) return candidate.rank > stored.rank;
  if (candidate.at !== stored.at) return candidate.at < stored.at;
  return candidate.itemId < stored.itemId;
}

/**
 * The same rule in SQL, for an upsert's DO UPDATE: does `excluded` (the incoming row) beat the row
 * stored in `table`? A stored landing without a rank was written before ranks were kept (migration
 * 006): it is kept, as it was then, until `touchline repair-sessions` ranks it; a stored row with
 * neither rank nor landing url has no landing yet and takes any candidate. `table` is a table name
 * from this package's code, never input.
 */
export function landingBeatsSql(table: string): string {
  return `(excluded.landing_rank IS NOT NULL AND (
      (${table}.landing_rank IS NULL AND ${table}.landing_url IS NULL)
      OR excluded.landing_rank > ${table}.landing_rank
      OR (excluded.landing_rank = ${table}.landing_rank AND (excluded.landing_at < ${table}.landing_at
        OR (excluded.landing_at = ${table}.landing_at AND excluded.landing_item < ${table}.landing_item)))))`;
}

/** The columns that move together as a session's landing, in the order the session statements bind them. */
export const LANDING_COLUMNS = [
  'landing_url',
  'landing_host',
  'referrer',
  'channel',
  'utm',
  'click_ids',
  'landing_rank',
  'landing_at',
  'landing_item',
] as const;

/** `col = CASE WHEN <incoming beats stored> THEN excluded.col ELSE table.col END` for every landing column. */
export function landingAssignmentsSql(table: string): string {
  const beats = landingBeatsSql(table);
  return LANDING_COLUMNS.map((col) => `${col} = CASE WHEN ${beats} THEN excluded.${col} ELSE ${table}.${col} END`).join(
    ',\n    ',
  );
}

/** A landing's bound values in LANDING_COLUMNS order (nulls when the batch had no candidate). */
export function landingParams(landing: SessionLanding | null): unknown[] {
  if (landing === null) return [null, null, null, null, '{}', '{}', null, null, null];
  return [
    landing.url,
    landing.host,
    landing.referrer,
    landing.channel,
    JSON.stringify(landing.utm),
    JSON.stringify(landing.clickIds),
    landing.rank,
    landing.at,
    landing.itemId,
  ];
}
