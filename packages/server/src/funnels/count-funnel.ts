// Counts an ordered funnel over matched items: per step, how many visitors (or sessions) reached it, in total and by entry channel.
import type { FunnelItem } from '@touchline/storage';

/** Visitor-level: steps may span sessions of one visitor id. Session-level: all steps in one session. */
export type FunnelUnit = 'visitor' | 'session';
export const FUNNEL_UNITS: readonly FunnelUnit[] = ['visitor', 'session'];

export interface FunnelCountSpec {
  /** Per step, the index of its goal among the goals the items were matched against. */
  steps: readonly number[];
  windowMs: number;
  /** Entries (first steps) count in [from, to); later steps may fall after `to`, up to the window. */
  from: number;
  to: number;
  unit: FunnelUnit;
}

export interface FunnelCounts {
  /** Units that reached each step (index 0: entered the funnel). */
  counts: number[];
  /** The same per channel of the entry's session (null: an entry without a session or channel). */
  channels: Array<{ channel: string | null; counts: number[] }>;
}

interface Item {
  id: string;
  timestamp: number;
  channel: string | null;
  goals: number;
}

/** The funnel's total order: time, then item id (code units), the same on every dialect and arrival order. */
const before = (a: Item, b: Item): number => a.timestamp - b.timestamp || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Groups (item, goal) rows into units, one entry per item with its goals as a bit set, in the total order. */
function unitsOf(rows: readonly FunnelItem[], unit: FunnelUnit): Item[][] {
  const units = new Map<string, Map<string, Item>>();
  for (const r of rows) {
    if (unit === 'session' && r.sessionId === null) continue;
    const key = unit === 'session' ? `${r.visitorId}\u0000${r.sessionId ?? ''}` : r.visitorId;
    let items = units.get(key);
    if (items === undefined) {
      items = new Map();
      units.set(key, items);
    }
    const item = items.get(r.id);
    if (item === undefined)
      items.set(r.id, { id: r.id, timestamp: r.timestamp, channel: r.channel, goals: 1 << r.goal });
    else item.goals |= 1 << r.goal;
  }
  return [...units.values()].map((items) => [...items.values()].sort(before));
}

/** next[g][i]: the first position after i whose item matches goal g (items.length when none). */
function nextTables(items: readonly Item[], goals: readonly number[]): Map<number, Int32Array> {
  const tables = new Map<number, Int32Array>();
  for (const g of goals) {
    if (tables.has(g)) continue;
    const next = new Int32Array(items.length);
    let found = items.length;
    for (let i = items.length - 1; i >= 0; i--) {
      next[i] = found;
      if (((items[i] as Item).goals >> g) & 1) found = i;
    }
    tables.set(g, next);
  }
  return tables;
}

/**
 * The deepest step one unit reaches and the entry that reached it (the earliest among equals).
 * From a given entry, taking each next step at its earliest matching item is optimal: any later
 * choice leaves a subset of the items for the steps after it, under the same deadline.
 */
function deepest(items: readonly Item[], spec: FunnelCountSpec): { depth: number; entry: Item } | null {
  const [first, ...rest] = spec.steps as [number, ...number[]];
  const next = nextTables(items, spec.steps);
  let best: { depth: number; entry: Item } | null = null;
  for (let start = 0; start < items.length; start++) {
    const entry = items[start] as Item;
    if (!((entry.goals >> first) & 1) || entry.timestamp < spec.from || entry.timestamp >= spec.to) continue;
    const deadline = entry.timestamp + spec.windowMs;
    let pos = start;
    let depth = 1;
    for (const g of rest) {
      const j = (next.get(g) as Int32Array)[pos] as number;
      if (j >= items.length || (items[j] as Item).timestamp > deadline) break;
      pos = j;
      depth++;
    }
    if (best === null || depth > best.depth) best = { depth, entry };
    if (depth === spec.steps.length) break;
  }
  return best;
}

export function countFunnel(rows: readonly FunnelItem[], spec: FunnelCountSpec): FunnelCounts {
  const counts = spec.steps.map(() => 0);
  const byChannel = new Map<string | null, number[]>();
  for (const items of unitsOf(rows, spec.unit)) {
    const reached = deepest(items, spec);
    if (reached === null) continue;
    let channel = byChannel.get(reached.entry.channel);
    if (channel === undefined) {
      channel = spec.steps.map(() => 0);
      byChannel.set(reached.entry.channel, channel);
    }
    for (let s = 0; s < reached.depth; s++) {
      counts[s] = (counts[s] ?? 0) + 1;
      channel[s] = (channel[s] ?? 0) + 1;
    }
  }
  const channels = [...byChannel]
    .map(([channel, c]) => ({ channel, counts: c }))
    .sort(
      (a, b) =>
        (b.counts[0] ?? 0) - (a.counts[0] ?? 0) ||
        String(a.channel ?? '\uffff').localeCompare(String(b.channel ?? '\uffff')),
    );
  return { counts, channels };
}
