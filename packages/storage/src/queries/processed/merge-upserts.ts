// Folds repeated upserts of one key in one batch into one row each, as applying them one after another would.
import type { IdentityRow, SessionUpsert, VisitorUpsert } from '../../storage.js';
import { landingBeats } from './landing-order.js';

/**
 * PostgreSQL's INSERT ... ON CONFLICT DO UPDATE refuses to touch one row twice in one statement,
 * while SQLite applies a multi-row statement's rows in turn. Merging here first, by the same rules
 * as the statements' DO UPDATE, gives PostgreSQL the rows SQLite would have ended with, sorted by
 * key so concurrent writers lock rows in one order (no deadlock between two collectors' workers).
 */
const keyOf = (row: { accountId: string; id: string }): string => `${row.accountId}\u0000${row.id}`;
/** Sessions are keyed by visitor too (migration 004). */
const sessionKeyOf = (row: SessionUpsert): string => `${row.accountId}\u0000${row.visitorId}\u0000${row.id}`;
const identityKeyOf = (row: IdentityRow): string => `${row.accountId}\u0000${row.userId}\u0000${row.visitorId}`;

function sortedValues<T>(map: Map<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
}

function mergeBy<T>(rows: readonly T[], key: (row: T) => string, merge: (seen: T, row: T) => T): T[] {
  const merged = new Map<string, T>();
  for (const row of rows) {
    const k = key(row);
    const seen = merged.get(k);
    merged.set(k, seen === undefined ? row : merge(seen, row));
  }
  return sortedValues(merged);
}

export function mergeVisitors(rows: readonly VisitorUpsert[]): VisitorUpsert[] {
  return mergeBy(rows, keyOf, (seen, row) => ({
    ...seen,
    firstSeenAt: Math.min(seen.firstSeenAt, row.firstSeenAt),
    lastSeenAt: Math.max(seen.lastSeenAt, row.lastSeenAt),
  }));
}

/** Times by min/max, counts add up, and the better landing by landing order. */
export function mergeSessions(rows: readonly SessionUpsert[]): SessionUpsert[] {
  return mergeBy(rows, sessionKeyOf, (seen, row) => ({
    ...seen,
    startedAt: Math.min(seen.startedAt, row.startedAt),
    lastSeenAt: Math.max(seen.lastSeenAt, row.lastSeenAt),
    landing: row.landing !== null && landingBeats(row.landing, seen.landing) ? row.landing : seen.landing,
    eventCount: seen.eventCount + row.eventCount,
    pageviewCount: seen.pageviewCount + row.pageviewCount,
  }));
}

/** -1, 0 or 1 by the strings' UTF-8 bytes: the order of SQLite's BINARY and PostgreSQL's "C" collation. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Does `row`'s traits replace `seen`'s: a later item, or at the same time the greater text. */
function traitsNewer(row: IdentityRow, seen: IdentityRow): boolean {
  return row.traitsAt > seen.traitsAt || (row.traitsAt === seen.traitsAt && compareBytes(row.traits, seen.traits) > 0);
}

/** The earliest time the pair was seen, and the latest traits. */
export function mergeIdentities(rows: readonly IdentityRow[]): IdentityRow[] {
  return mergeBy(rows, identityKeyOf, (seen, row) => {
    const traits = traitsNewer(row, seen) ? row : seen;
    return {
      ...seen,
      timestamp: Math.min(seen.timestamp, row.timestamp),
      traits: traits.traits,
      traitsAt: traits.traitsAt,
    };
  });
}
