// Chooses the Shapley computation (simplified, exact coalitions, or sampling) and exposes raw values by channel.
import type { AttributionOptions } from '../attribution-options.js';
import { ChannelIndex } from '../channel-index.js';
import type { Journey } from '../journey.js';
import type { ChannelSets } from './channel-sets.js';
import { aggregateChannelSets } from './channel-sets.js';
import { classicShapley, MAX_EXACT_CHANNELS } from './classic-shapley.js';
import { permutationShapley } from './permutation-shapley.js';
import { simplifiedShapley } from './simplified-shapley.js';

/** Shapley value per channel, in conversions; values sum to the number of conversions. */
export type ShapleyValues = ReadonlyMap<string, number>;

/** phi per channel id for the configured method; see `shapley` for the options. */
export function computeShapleyPhi(channelSets: ChannelSets, options: AttributionOptions): Float64Array {
  if ((options.shapleyMethod ?? 'simplified') === 'simplified') return simplifiedShapley(channelSets);
  const exactLimit = Math.min(options.maxExactChannels ?? 16, MAX_EXACT_CHANNELS);
  if (channelSets.channelCount <= exactLimit) return classicShapley(channelSets);
  return permutationShapley(channelSets, options.samples ?? 2000, options.seed ?? 1);
}

/** Raw (unnormalised) Shapley values keyed by channel name. */
export function shapleyValues(journeys: readonly Journey[], options: AttributionOptions = {}): ShapleyValues {
  const index = new ChannelIndex();
  const phi = computeShapleyPhi(aggregateChannelSets(journeys, index), options);
  return new Map(index.names.map((name, id) => [name, phi[id] ?? 0]));
}
