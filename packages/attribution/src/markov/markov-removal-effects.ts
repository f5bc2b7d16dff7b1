// Public view of the Markov chain's removal effects keyed by channel name, for reports and tests.
import { ChannelIndex } from '../channel-index.js';
import type { Journey, Touchpoint } from '../journey.js';
import type { PathStep } from './path-step.js';
import { computeRemovalEffects } from './removal-effects.js';

/** Baseline P(conversion) of the chain and the raw (unnormalised) removal effect per channel. */
export interface MarkovRemovalEffects {
  readonly conversionProbability: number;
  readonly removalEffects: ReadonlyMap<string, number>;
}

export function markovRemovalEffects(
  journeys: readonly Journey[],
  nonConverting: readonly (readonly Touchpoint[])[] = [],
  nonConvertingSteps: readonly PathStep[] = [],
): MarkovRemovalEffects {
  const index = new ChannelIndex();
  const { conversionProbability, effects } = computeRemovalEffects(journeys, nonConverting, index, nonConvertingSteps);
  const removalEffects = new Map(index.names.map((name, id) => [name, effects[id] ?? 0]));
  return { conversionProbability, removalEffects };
}
