// Simplified Shapley (Zhao, Mahboobi & Bagheri 2018, arXiv 1804.05327): exact in O(distinct channel sets).
import type { ChannelSets } from './channel-sets.js';

/**
 * phi_i = sum over channel sets T containing i of R(T) / |T|. This equals the classic Shapley
 * value of the game v(S) = conversions whose channel set is a subset of S, because that game is
 * the sum of unanimity games R(T) * u_T and the Shapley value of u_T gives each member 1/|T|.
 */
export function simplifiedShapley(channelSets: ChannelSets): Float64Array {
  const phi = new Float64Array(channelSets.channelCount);
  channelSets.sets.forEach((set, s) => {
    const each = (channelSets.conversions[s] ?? 0) / set.length;
    for (const id of set) phi[id] = (phi[id] ?? 0) + each;
  });
  return phi;
}
