// Exact distinct visitors without one row per session: visitor-hour refcounts and the gap counts derived from them (pure part).
import { HOUR_MS } from './hour-plan.js';
import type { SessionShape } from './rollup-deltas.js';

/**
 * Dimensions of rollup_dims: all sessions, by landing path, by referrer host, by channel, by utm
 * source, medium and campaign. Distinct visitors are kept for all but the channel (its report
 * counts sessions only).
 */
export const DIM = { all: 0, landing: 1, referrer: 2, channel: 3, utmSource: 4, utmMedium: 5, utmCampaign: 6 } as const;

/** The dimensions with a value of their own that a session has (none for '': no row), with that value; not all, not channel. */
export function valuedDims(s: SessionShape): Array<[number, string]> {
  const pairs: Array<[number, string]> = [
    [DIM.landing, s.landingPath],
    [DIM.referrer, s.referrerHost],
    [DIM.utmSource, s.utmSource],
    [DIM.utmMedium, s.utmMedium],
    [DIM.utmCampaign, s.utmCampaign],
  ];
  return pairs.filter(([, value]) => value !== '');
}

/** One visitor within one dimension value (dim 0 has the value ''). */
export interface VisitorGroup {
  accountKey: number;
  dim: number;
  value: string;
  visitorId: string;
}
/** A change of how many sessions a visitor started in one hour, in one dimension value. */
export interface MembershipDelta extends VisitorGroup {
  hour: number;
  sessions: number;
}
/** A change of one visitor_gaps row: visitors whose hour `hour` follows their previous hour `prevHour` (-1: none). */
export interface GapDelta {
  accountKey: number;
  dim: number;
  hour: number;
  value: string;
  prevHour: number;
  visitors: number;
}

export const groupKey = (g: VisitorGroup): string =>
  `${g.accountKey}\u0000${g.dim}\u0000${g.value}\u0000${g.visitorId}`;

function sortedValues<T>(map: Map<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** The dimension values a session counts its visitor in (none for an empty path, host or utm value). */
function membershipsOf(s: SessionShape): Array<Omit<MembershipDelta, 'sessions'>> {
  const base = { accountKey: s.accountKey, visitorId: s.visitorId, hour: Math.floor(s.startedAt / HOUR_MS) };
  const out: Array<Omit<MembershipDelta, 'sessions'>> = [{ ...base, dim: DIM.all, value: '' }];
  for (const [dim, value] of valuedDims(s)) out.push({ ...base, dim, value });
  return out;
}

/** Visitor-hour refcount changes between the sessions before and after a write, merged, nonzero, sorted by key. */
export function membershipDeltas(before: readonly SessionShape[], after: readonly SessionShape[]): MembershipDelta[] {
  const deltas = new Map<string, MembershipDelta>();
  const add = (s: SessionShape, n: number): void => {
    for (const m of membershipsOf(s)) {
      const key = `${groupKey(m)}\u0000${m.hour}`;
      const seen = deltas.get(key);
      deltas.set(key, { ...m, sessions: (seen?.sessions ?? 0) + n });
    }
  };
  for (const s of before) add(s, -1);
  for (const s of after) add(s, 1);
  return sortedValues(deltas).filter((d) => d.sessions !== 0);
}

/**
 * The gap rows one visitor's sorted hours stand for: each hour paired with the one before it (-1
 * for the first). Summing rows with hour in [h1, h2) and prev < h1 counts the visitor once if it has
 * any hour in the range (at its first one there) and never otherwise.
 */
function gapsOf(hours: readonly number[]): Array<[number, number]> {
  return hours.map((h, i) => [h, i === 0 ? -1 : (hours[i - 1] as number)]);
}

/**
 * How the gap rows change when a visitor's hours go from `before` to `after` (both sorted): the
 * new pairs minus the old. A pure function of the two sets, so the order in which sessions arrive,
 * move or leave never matters.
 */
export function gapDeltas(group: VisitorGroup, before: readonly number[], after: readonly number[]): GapDelta[] {
  const out = new Map<string, GapDelta>();
  const add = ([hour, prevHour]: [number, number], n: number): void => {
    const key = `${hour}/${prevHour}`;
    const seen = out.get(key);
    out.set(key, {
      accountKey: group.accountKey,
      dim: group.dim,
      value: group.value,
      hour,
      prevHour,
      visitors: (seen?.visitors ?? 0) + n,
    });
  };
  for (const g of gapsOf(before)) add(g, -1);
  for (const g of gapsOf(after)) add(g, 1);
  return [...out.values()].filter((d) => d.visitors !== 0);
}

/** A visitor_hours row as read before a write. */
export interface VisitorHourRow extends VisitorGroup {
  hour: number;
  sessions: number;
}

/**
 * The gap changes of a write: each touched visitor's hours before (`current`, the stored rows of
 * the touched groups) and after applying `deltas`. Merged per row, nonzero, sorted by key, so
 * concurrent writers on PostgreSQL update gap rows in one order.
 */
export function visitorGapDeltas(current: readonly VisitorHourRow[], deltas: readonly MembershipDelta[]): GapDelta[] {
  return gapDeltasOf(hourSetChanges(current, deltas));
}

/** Each touched visitor group's sorted hours before and after a write (hourSetChanges). */
export type HourSetChange = { group: VisitorGroup; before: number[]; after: number[] };

/** visitorGapDeltas over hour sets already computed, so a write derives its gaps and days from one pass. */
export function gapDeltasOf(changes: readonly HourSetChange[]): GapDelta[] {
  const merged = new Map<string, GapDelta>();
  for (const { group, before, after } of changes) {
    for (const d of gapDeltas(group, before, after)) {
      const k = `${d.accountKey}\u0000${d.dim}\u0000${String(d.hour).padStart(16, '0')}\u0000${d.value}\u0000${String(d.prevHour + 1).padStart(16, '0')}`;
      const seen = merged.get(k);
      merged.set(k, { ...d, visitors: (seen?.visitors ?? 0) + d.visitors });
    }
  }
  return sortedValues(merged).filter((d) => d.visitors !== 0);
}

/** A change of one visitor_days row: distinct visitors with a session started on UTC day `day` (dimension 0). */
export interface DayDelta {
  accountKey: number;
  day: number;
  visitors: number;
}

/**
 * The visitor_days changes of a write: each touched visitor (dimension 0) adds one to the days its
 * hours reach after the write and not before, and takes one from the days it no longer reaches. A
 * pure function of the two hour sets, like the gaps. Merged, nonzero, sorted by account then day.
 */
export function visitorDayDeltas(current: readonly VisitorHourRow[], deltas: readonly MembershipDelta[]): DayDelta[] {
  return dayDeltasOf(hourSetChanges(current, deltas));
}

/** visitorDayDeltas over hour sets already computed. */
export function dayDeltasOf(changes: readonly HourSetChange[]): DayDelta[] {
  const merged = new Map<string, DayDelta>();
  const add = (accountKey: number, day: number, n: number): void => {
    const k = `${String(accountKey).padStart(16, '0')}/${String(day).padStart(16, '0')}`;
    merged.set(k, { accountKey, day, visitors: (merged.get(k)?.visitors ?? 0) + n });
  };
  for (const { group, before, after } of changes) {
    if (group.dim !== DIM.all) continue;
    const was = daysOf(before);
    const is = daysOf(after);
    for (const day of is) if (!was.has(day)) add(group.accountKey, day, 1);
    for (const day of was) if (!is.has(day)) add(group.accountKey, day, -1);
  }
  return sortedValues(merged).filter((d) => d.visitors !== 0);
}

const daysOf = (hours: readonly number[]): Set<number> => new Set(hours.map((h) => Math.floor(h / 24)));

/** Each touched visitor group's sorted hours before (`current`, the stored rows) and after applying `deltas`. */
export function hourSetChanges(
  current: readonly VisitorHourRow[],
  deltas: readonly MembershipDelta[],
): HourSetChange[] {
  const groups = new Map<string, { group: VisitorGroup; counts: Map<number, number> }>();
  const groupOf = (g: VisitorGroup): Map<number, number> => {
    const key = groupKey(g);
    let entry = groups.get(key);
    if (entry === undefined) {
      entry = {
        group: { accountKey: g.accountKey, dim: g.dim, value: g.value, visitorId: g.visitorId },
        counts: new Map(),
      };
      groups.set(key, entry);
    }
    return entry.counts;
  };
  for (const r of current) groupOf(r).set(Number(r.hour), Number(r.sessions));
  const before = new Map([...groups.entries()].map(([k, e]) => [k, hoursOf(e.counts)]));
  for (const d of deltas) {
    const counts = groupOf(d);
    counts.set(d.hour, (counts.get(d.hour) ?? 0) + d.sessions);
  }
  return [...groups.entries()].map(([key, e]) => ({
    group: e.group,
    before: before.get(key) ?? [],
    after: hoursOf(e.counts),
  }));
}

/** The hours with at least one session, ascending. */
function hoursOf(counts: Map<number, number>): number[] {
  return [...counts.entries()]
    .filter(([, n]) => n > 0)
    .map(([h]) => h)
    .sort((a, b) => a - b);
}
