// Marks the visitors whose persons a write changed (journey_dirty), in the write's own transaction: the materialized journeys' only ingest cost.
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { PathChange } from '../rollups/path-steps.js';

/** A visitor whose person's journeys may have changed. */
export interface JourneyMark {
  accountKey: number;
  visitorId: string;
}

const markKey = (m: JourneyMark): string => `${String(m.accountKey).padStart(12, '0')}\u0000${m.visitorId}`;

/**
 * The visitors whose paths a write changed (rollups' pathChanges: sessions inserted, removed, or
 * moved in start or channel). Only the start decides which journeys a session is in (channel,
 * landing and utm are joined at read time), but a person's path rows (person-paths.ts) hold
 * channels too. A session that only gained items marks nothing. Every writer of sessions hands its
 * changes to writeRollups, which marks them: processing, aliases, cookieless sessionizing, repair.
 */
export function pathMarks(paths: readonly PathChange[]): JourneyMark[] {
  return paths.map((p) => ({ accountKey: p.accountKey, visitorId: p.visitorId }));
}

/** Each mark once, sorted: concurrent PostgreSQL writers lock journey_dirty rows in one order. */
export function uniqueMarks(marks: readonly JourneyMark[]): JourneyMark[] {
  const byKey = new Map<string, JourneyMark>();
  for (const m of marks) byKey.set(markKey(m), m);
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, m]) => m);
}

// A repeated mark bumps the version: a refresher that read the old one then leaves it in place. It
// also clears a held mark (refresh-journeys.ts): the changed person is weighed again.
const SQLITE_MARK = `INSERT INTO journey_dirty (account_key, visitor_id) SELECT j.value ->> 0, j.value ->> 1 FROM json_each(?) AS j WHERE true
  ON CONFLICT (account_key, visitor_id) DO UPDATE SET version = journey_dirty.version + 1, live = 0`;
const PG_MARK = `INSERT INTO journey_dirty (account_key, visitor_id) SELECT * FROM unnest($1::integer[], $2::text[])
  ON CONFLICT (account_key, visitor_id) DO UPDATE SET version = journey_dirty.version + 1, live = false`;

export function sqliteMarkJourneys(c: SqliteConnection, marks: readonly JourneyMark[]): void {
  const rows = uniqueMarks(marks);
  if (rows.length > 0)
    c.statement<[string]>(SQLITE_MARK).run(JSON.stringify(rows.map((m) => [m.accountKey, m.visitorId])));
}

export async function pgMarkJourneys(client: PgQueryable, marks: readonly JourneyMark[]): Promise<void> {
  const rows = uniqueMarks(marks);
  if (rows.length > 0) await client.query(PG_MARK, [rows.map((m) => m.accountKey), rows.map((m) => m.visitorId)]);
}
