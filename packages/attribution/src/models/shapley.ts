// Shapley model: channel value from which channel combinations convert, shared per conversion by that value.
import type { AttributionOptions } from '../attribution-options.js';
import type { AttributionResult } from '../attribution-result.js';
import { attributeByChannelShares } from '../attribute-by-channel-shares.js';
import { ChannelIndex } from '../channel-index.js';
import type { Journey } from '../journey.js';
import { aggregateChannelSets } from '../shapley/channel-sets.js';
import { computeShapleyPhi } from '../shapley/shapley-values.js';

/**
 * Shapley values phi over v(S) = conversions whose channel set is a subset of S, normalised to
 * shares (`channelWeights`); each conversion is split among its channels in proportion to phi.
 * `simplified` (default) is exact in O(distinct sets). `classic` enumerates all coalitions up to
 * `maxExactChannels` (default 16, hard cap 24) and above that averages `samples` (default 2000)
 * permutations from a PRNG seeded with `seed` (default 1): reproducible, error ~ 1/sqrt(samples).
 */
export function shapley(journeys: readonly Journey[], options: AttributionOptions = {}): AttributionResult {
  const index = new ChannelIndex();
  const phi = computeShapleyPhi(aggregateChannelSets(journeys, index), options);
  let total = 0;
  for (const value of phi) total += Math.max(0, value);
  const shares = new Float64Array(phi.length);
  if (total > 0) for (let c = 0; c < phi.length; c++) shares[c] = Math.max(0, phi[c] ?? 0) / total;
  return attributeByChannelShares('shapley', journeys, index, shares);
}
