// Removal effects (Anderl et al. 2016): how much conversion probability is lost without each channel.
import type { ChannelIndex } from '../channel-index.js';
import type { Journey, Touchpoint } from '../journey.js';
import { conversionProbability } from './conversion-probability.js';
import type { PathStep } from './path-step.js';
import { countTransitions } from './transition-counts.js';

/** Removal effects indexed by channel id, plus the chain's baseline conversion probability. */
export interface RemovalEffects {
  readonly conversionProbability: number;
  /** 1 - P(conversion | channel removed) / P(conversion), per channel id. */
  readonly effects: Float64Array;
}

/** Builds the first-order chain over all paths (whole or counted as steps) and removes each channel in turn; `index` must be empty. */
export function computeRemovalEffects(
  journeys: readonly Journey[],
  nonConverting: readonly (readonly Touchpoint[])[],
  index: ChannelIndex,
  steps: readonly PathStep[] = [],
): RemovalEffects {
  const chain = countTransitions(journeys, nonConverting, index, steps);
  const base = conversionProbability(chain, -1);
  const effects = new Float64Array(chain.channelCount);
  if (base <= 0) return { conversionProbability: base, effects };
  for (let c = 0; c < chain.channelCount; c++) {
    // Removing a state can only lose conversions; clamp rounding noise so effects stay in [0, 1].
    effects[c] = Math.min(1, Math.max(0, 1 - conversionProbability(chain, c) / base));
  }
  return { conversionProbability: base, effects };
}
