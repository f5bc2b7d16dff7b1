// Sums model credits by a part of their (channel, group) key: revenue exactly in micro-units, credit counts as the models sum them.
import { MicroTotals, toMicros, type ChannelTotal } from '@touchline/attribution';

export function sumBy<K>(
  totals: readonly ChannelTotal[],
  keyOf: (key: string) => K,
): Array<{ key: K; conversions: number; revenue: number }> {
  const ids = new Map<K, number>();
  const conversions: number[] = [];
  const revenue = new MicroTotals();
  for (const t of totals) {
    const key = keyOf(t.channel);
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
      conversions.push(0);
    }
    conversions[id] = (conversions[id] ?? 0) + t.conversions;
    revenue.add(id, toMicros(t.revenue));
  }
  return [...ids]
    .map(([key, id]) => ({ key, conversions: conversions[id] ?? 0, revenue: revenue.amount(id) }))
    .sort((a, b) => b.revenue - a.revenue || b.conversions - a.conversions);
}
