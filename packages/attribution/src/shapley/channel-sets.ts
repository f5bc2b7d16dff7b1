// Aggregates conversions by the SET of channels on their path: Shapley only needs R(T) per distinct set.
import type { ChannelIndex } from '../channel-index.js';
import { DIRECT, type Journey } from '../journey.js';

/** Distinct channel sets (sorted channel ids) and R(T), the number of conversions with exactly that set. */
export interface ChannelSets {
  readonly channelCount: number;
  readonly sets: readonly Int32Array[];
  readonly conversions: Float64Array;
}

/** One pass over the journeys; an empty journey has the set {direct}. */
export function aggregateChannelSets(journeys: readonly Journey[], index: ChannelIndex): ChannelSets {
  const byKey = new Map<string, number>();
  const sets: Int32Array[] = [];
  const counts: number[] = [];
  let scratch: Int32Array = new Int32Array(64);
  let stamp: Int32Array = new Int32Array(64);
  let epoch = 0;
  for (const journey of journeys) {
    epoch++;
    let n = 0;
    const touches = journey.touchpoints;
    const total = Math.max(1, touches.length);
    if (total > scratch.length) scratch = new Int32Array(total * 2);
    for (let t = 0; t < total; t++) {
      const id = index.idOf(touches[t]?.channel ?? DIRECT);
      if (id >= stamp.length) stamp = grow(stamp, id);
      if (stamp[id] === epoch) continue;
      stamp[id] = epoch;
      scratch[n++] = id;
    }
    const set: Int32Array = scratch.subarray(0, n).sort();
    // Channel ids are small integers, so one UTF-16 unit per id makes a compact exact key.
    const key = String.fromCharCode(...set);
    const known = byKey.get(key);
    if (known !== undefined) {
      counts[known] = (counts[known] ?? 0) + 1;
      continue;
    }
    byKey.set(key, sets.length);
    sets.push(set.slice());
    counts.push(1);
  }
  return { channelCount: index.size, sets, conversions: Float64Array.from(counts) };
}

function grow(a: Int32Array, atLeast: number): Int32Array {
  const next = new Int32Array(Math.max(a.length * 2, atLeast + 1));
  next.set(a);
  return next;
}
