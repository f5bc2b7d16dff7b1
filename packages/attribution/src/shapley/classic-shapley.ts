// Classic Shapley value over all 2^k coalitions with the proper |S|!(k-|S|-1)!/k! weights.
import type { ChannelSets } from './channel-sets.js';

/** Above this many channels the 2^k table no longer fits comfortably in memory. */
export const MAX_EXACT_CHANNELS = 24;

/**
 * v(S) = conversions whose channel set is a subset of S, built by a subset-sum (zeta) transform;
 * then phi_i = sum over S without i of |S|!(k-|S|-1)!/k! * (v(S + i) - v(S)). O(k 2^k) time.
 */
export function classicShapley(channelSets: ChannelSets): Float64Array {
  const k = channelSets.channelCount;
  if (k > MAX_EXACT_CHANNELS) {
    throw new RangeError(`classicShapley: ${k} channels exceeds the exact limit of ${MAX_EXACT_CHANNELS}`);
  }
  const size = 2 ** k;
  const worth = new Float64Array(size);
  channelSets.sets.forEach((set, s) => {
    let mask = 0;
    for (const id of set) mask |= 1 << id;
    worth[mask] = (worth[mask] ?? 0) + (channelSets.conversions[s] ?? 0);
  });
  for (let i = 0; i < k; i++) {
    const bit = 1 << i;
    for (let mask = 0; mask < size; mask++) {
      if (mask & bit) worth[mask] = (worth[mask] ?? 0) + (worth[mask ^ bit] ?? 0);
    }
  }
  const weight = coalitionWeights(k);
  const phi = new Float64Array(k);
  for (let mask = 0; mask < size; mask++) {
    const w = weight[popcount(mask)] ?? 0;
    for (let i = 0; i < k; i++) {
      const bit = 1 << i;
      if (mask & bit) continue;
      phi[i] = (phi[i] ?? 0) + w * ((worth[mask | bit] ?? 0) - (worth[mask] ?? 0));
    }
  }
  return phi;
}

/** weight[s] = s!(k-s-1)!/k! = 1 / (k * C(k-1, s)). */
function coalitionWeights(k: number): Float64Array {
  const weight = new Float64Array(Math.max(k, 1));
  let binomial = 1;
  for (let s = 0; s < k; s++) {
    weight[s] = 1 / (k * binomial);
    binomial = (binomial * (k - 1 - s)) / (s + 1);
  }
  return weight;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
