// What a write does to the rollups, as deltas: sessions moving between hours and landing dimensions, items added per hour.
import { HOUR_MS } from './hour-plan.js';
import { pathChanges, type PathChange } from './path-steps.js';
import { DIM, membershipDeltas, valuedDims, type MembershipDelta } from './visitor-sets.js';

/** A session as the rollups see it; '' stands for no channel, no landing path, no referrer host, no utm value. */
export interface SessionShape {
  accountKey: number;
  visitorId: string;
  id: string;
  startedAt: number;
  lastSeenAt: number;
  channel: string;
  landingPath: string;
  referrerHost: string;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
}

/** A change of one rollup_dims row's count: sessions started in one hour with one value of one dimension (no visitor). */
export interface DimDelta {
  accountKey: number;
  dim: number;
  hour: number;
  value: string;
  sessions: number;
}

/** The three kinds of change a session move makes: dimension counts, visitor-hour refcounts (visitor-sets.ts), and visitors' paths (path-steps.ts). */
export interface SessionRollupDeltas {
  dims: DimDelta[];
  memberships: MembershipDelta[];
  paths: PathChange[];
}

/** A change of one rollup_items row. */
export interface ItemRollupDelta {
  accountKey: number;
  hour: number;
  events: number;
  conversions: number;
  revenueUnits: number;
  revenueMicros: number;
}

/** An inserted item as a statement's RETURNING reports it; units and micros null for no revenue. */
export interface InsertedItem {
  accountKey: number;
  occurredAt: number;
  units?: number | null;
  micros?: number | null;
  visitorId?: string;
}

const rowKey = (d: Omit<DimDelta, 'sessions'>): string =>
  `${d.accountKey}\u0000${d.dim}\u0000${String(d.hour).padStart(16, '0')}\u0000${d.value}`;

function sortedByKey<T>(map: Map<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** The rollup_dims rows a session counts in: all sessions, its channel, and each of its landing path, referrer host and utm values it has. */
function rowsOf(s: SessionShape): Array<Omit<DimDelta, 'sessions'>> {
  const base = { accountKey: s.accountKey, hour: Math.floor(s.startedAt / HOUR_MS) };
  const rows: Array<Omit<DimDelta, 'sessions'>> = [
    { ...base, dim: DIM.all, value: '' },
    { ...base, dim: DIM.channel, value: s.channel },
  ];
  for (const [dim, value] of valuedDims(s)) rows.push({ ...base, dim, value });
  return rows;
}

/**
 * Each session counts once per dimension, in the rows of its start hour and landing. A write that moved its start
 * to an earlier hour or gave it a better landing (DESIGN.md L12: a late item can) takes it out of
 * the old row and puts it in the new one, and moves its visitor between hours the same way
 * (visitor-sets.ts). Deltas that cancel are dropped; the rest come sorted by key, so concurrent
 * writers touch rows in one order.
 */
export function sessionRollupDeltas(
  before: readonly SessionShape[],
  after: readonly SessionShape[],
): SessionRollupDeltas {
  const deltas = new Map<string, DimDelta>();
  const add = (s: SessionShape, n: number): void => {
    for (const row of rowsOf(s)) {
      const key = rowKey(row);
      const seen = deltas.get(key);
      deltas.set(key, { ...row, sessions: (seen?.sessions ?? 0) + n });
    }
  };
  for (const s of before) add(s, -1);
  for (const s of after) add(s, 1);
  return {
    dims: sortedByKey(deltas).filter((d) => d.sessions !== 0),
    memberships: membershipDeltas(before, after),
    paths: pathChanges(before, after),
  };
}

/** The longest span per account among `after` (the session_spans bound only grows). */
export function longestSpans(after: readonly SessionShape[]): Array<{ accountKey: number; maxSpan: number }> {
  const spans = new Map<number, number>();
  for (const s of after) spans.set(s.accountKey, Math.max(spans.get(s.accountKey) ?? 0, s.lastSeenAt - s.startedAt));
  return [...spans.entries()].sort(([a], [b]) => a - b).map(([accountKey, maxSpan]) => ({ accountKey, maxSpan }));
}

/** Inserted events and conversions summed per account and hour (revenue as exact integer parts). */
export function itemRollupDeltas(
  events: readonly InsertedItem[],
  conversions: readonly InsertedItem[],
): ItemRollupDelta[] {
  const deltas = new Map<string, ItemRollupDelta>();
  const at = (item: InsertedItem): ItemRollupDelta => {
    const hour = Math.floor(item.occurredAt / HOUR_MS);
    const key = `${String(item.accountKey).padStart(12, '0')}\u0000${String(hour).padStart(16, '0')}`;
    let d = deltas.get(key);
    if (d === undefined) {
      d = { accountKey: item.accountKey, hour, events: 0, conversions: 0, revenueUnits: 0, revenueMicros: 0 };
      deltas.set(key, d);
    }
    return d;
  };
  for (const e of events) at(e).events += 1;
  for (const c of conversions) {
    const d = at(c);
    d.conversions += 1;
    d.revenueUnits += Number(c.units ?? 0);
    d.revenueMicros += Number(c.micros ?? 0);
  }
  return sortedByKey(deltas);
}
