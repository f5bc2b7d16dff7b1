// Markov model: first-order absorbing chain over all paths, credited by normalised removal effect.
import type { AttributionOptions } from '../attribution-options.js';
import type { AttributionResult } from '../attribution-result.js';
import { attributeByChannelShares } from '../attribute-by-channel-shares.js';
import { ChannelIndex } from '../channel-index.js';
import type { Journey } from '../journey.js';
import { computeRemovalEffects } from '../markov/removal-effects.js';

/**
 * Removal effects are normalised to shares summing to 1 (`channelWeights`); each conversion is
 * split among the channels on its path by those shares. Pass `options.nonConverting` paths:
 * without them every path converts and the removal effect only measures how many paths need a channel.
 * `options.nonConvertingSteps` are more such paths, already counted step by step (the database's
 * aggregation): any split of the same paths between the two gives exactly the same answer.
 */
export function markov(journeys: readonly Journey[], options: AttributionOptions = {}): AttributionResult {
  const index = new ChannelIndex();
  const { effects } = computeRemovalEffects(
    journeys,
    options.nonConverting ?? [],
    index,
    options.nonConvertingSteps ?? [],
  );
  let total = 0;
  for (const effect of effects) total += effect;
  const shares = new Float64Array(effects.length);
  if (total > 0) for (let c = 0; c < effects.length; c++) shares[c] = (effects[c] ?? 0) / total;
  return attributeByChannelShares('markov', journeys, index, shares);
}
