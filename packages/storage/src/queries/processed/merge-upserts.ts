// Folds repeated (account, id) upserts of one batch into one row each, as applying them one after another would.
import type { SessionUpsert, VisitorUpsert } from '../../storage.js';

/**
 * PostgreSQL's INSERT ... ON CONFLICT DO UPDATE refuses to touch one row twice in one statement,
 * while SQLite applies a multi-row statement's rows in turn. Merging here first gives PostgreSQL
 * the rows SQLite would have ended with, sorted by key so concurrent writers lock rows in one
 * order (no deadlock between two collectors' workers).
 */
const keyOf = (row: { accountId: string; id: string }): string => `${row.accountId}\u0000${row.id}`;
/** Sessions are keyed by visitor too (migration 004). */
const sessionKeyOf = (row: SessionUpsert): string => `${row.accountId}\u0000${row.visitorId}\u0000${row.id}`;

function sortedValues<T>(map: Map<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
}

export function mergeVisitors(rows: readonly VisitorUpsert[]): VisitorUpsert[] {
  const merged = new Map<string, VisitorUpsert>();
  for (const row of rows) {
    const seen = merged.get(keyOf(row));
    merged.set(keyOf(row), seen === undefined ? { ...row } : {
      ...seen, firstSeenAt: Math.min(seen.firstSeenAt, row.firstSeenAt), lastSeenAt: Math.max(seen.lastSeenAt, row.lastSeenAt),
    });
  }
  return sortedValues(merged);
}

/** Times by min/max, counts add up, and the landing unit is taken only while the merged row has no landing url. */
export function mergeSessions(rows: readonly SessionUpsert[]): SessionUpsert[] {
  const merged = new Map<string, SessionUpsert>();
  for (const row of rows) {
    const seen = merged.get(sessionKeyOf(row));
    if (seen === undefined) {
      merged.set(sessionKeyOf(row), { ...row });
      continue;
    }
    const landing = seen.landingUrl === null && row.landingUrl !== null ? row : seen;
    merged.set(sessionKeyOf(row), {
      ...seen,
      startedAt: Math.min(seen.startedAt, row.startedAt),
      lastSeenAt: Math.max(seen.lastSeenAt, row.lastSeenAt),
      landingUrl: landing.landingUrl, landingHost: landing.landingHost, referrer: landing.referrer,
      channel: landing.channel, utm: landing.utm, clickIds: landing.clickIds,
      eventCount: seen.eventCount + row.eventCount,
      pageviewCount: seen.pageviewCount + row.pageviewCount,
    });
  }
  return sortedValues(merged);
}
