// Monte Carlo Shapley for many channels: average marginal contributions over seeded random orderings.
import { createRandom } from '../random.js';
import type { ChannelSets } from './channel-sets.js';

/**
 * Unbiased estimate of the classic Shapley value for v(S) = conversions whose set is inside S.
 * For each random ordering, a channel set's R(T) goes to the member that completes it, which is
 * exactly that channel's marginal contribution. Cost O(samples x total set sizes); error ~ 1/sqrt(samples).
 */
export function permutationShapley(channelSets: ChannelSets, samples: number, seed: number): Float64Array {
  const k = channelSets.channelCount;
  const containing = setsByChannel(channelSets);
  const sizes = Int32Array.from(channelSets.sets, (set) => set.length);
  const remaining = new Int32Array(sizes.length);
  const order = Int32Array.from({ length: k }, (_, i) => i);
  const random = createRandom(seed);
  const phi = new Float64Array(k);
  for (let sample = 0; sample < samples; sample++) {
    for (let i = k - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = t;
    }
    remaining.set(sizes);
    for (const channel of order) {
      for (const s of containing[channel] ?? []) {
        remaining[s] = (remaining[s] ?? 0) - 1;
        if (remaining[s] === 0) phi[channel] = (phi[channel] ?? 0) + (channelSets.conversions[s] ?? 0);
      }
    }
  }
  for (let i = 0; i < k; i++) phi[i] = (phi[i] ?? 0) / Math.max(1, samples);
  return phi;
}

function setsByChannel(channelSets: ChannelSets): number[][] {
  const containing: number[][] = Array.from({ length: channelSets.channelCount }, () => []);
  channelSets.sets.forEach((set, s) => {
    for (const id of set) containing[id]?.push(s);
  });
  return containing;
}
