// A plain, slow funnel counter for differential tests: exhaustive search over every ordered choice of items, no shared code with countFunnel.

export interface OracleItem {
  id: string;
  unit: string;
  timestamp: number;
  channel: string | null;
  goals: ReadonlySet<number>;
}
export interface OracleSpec {
  steps: readonly number[];
  windowMs: number;
  from: number;
  to: number;
}
export interface OracleCounts {
  counts: number[];
  channels: Map<string | null, number[]>;
}

/** The deepest chain of steps from position `pos` on (step index `s` next), by trying every candidate item. */
function longest(items: readonly OracleItem[], spec: OracleSpec, pos: number, s: number, deadline: number): number {
  if (s === spec.steps.length) return 0;
  let best = 0;
  for (let j = pos + 1; j < items.length; j++) {
    const item = items[j] as OracleItem;
    if (item.timestamp > deadline || !item.goals.has(spec.steps[s] as number)) continue;
    best = Math.max(best, 1 + longest(items, spec, j, s + 1, deadline));
  }
  return best;
}

export function oracleFunnel(all: readonly OracleItem[], spec: OracleSpec): OracleCounts {
  const counts = spec.steps.map(() => 0);
  const channels = new Map<string | null, number[]>();
  const units = new Map<string, OracleItem[]>();
  for (const item of all) units.set(item.unit, [...(units.get(item.unit) ?? []), item]);
  for (const unitItems of units.values()) {
    const items = [...unitItems].sort((a, b) =>
      a.timestamp !== b.timestamp ? a.timestamp - b.timestamp : a.id < b.id ? -1 : 1,
    );
    let depth = 0;
    let channel: string | null = null;
    items.forEach((item, i) => {
      if (!item.goals.has(spec.steps[0] as number) || item.timestamp < spec.from || item.timestamp >= spec.to) return;
      const d = 1 + longest(items, spec, i, 1, item.timestamp + spec.windowMs);
      if (d > depth) {
        depth = d;
        channel = item.channel;
      }
    });
    if (depth === 0) continue;
    const row = channels.get(channel) ?? spec.steps.map(() => 0);
    channels.set(channel, row);
    for (let s = 0; s < depth; s++) {
      counts[s] = (counts[s] ?? 0) + 1;
      row[s] = (row[s] ?? 0) + 1;
    }
  }
  return { counts, channels };
}
