// Public surface of @touchline/attribution: explicit exports only.
export {
  buildJourneys,
  type ConversionFact,
  type IdentityLink,
  type JourneyInput,
  type Journeys,
  type SessionFact,
  type SessionStep,
} from './build-journeys.js';
export { channelOfKey, groupedKey, splitGroupedKey } from './grouped-key.js';
export { DIRECT, type Touchpoint, type Journey, type Credit, type ChannelTotal } from './journey.js';
export { DAY_MS, type AttributionOptions } from './attribution-options.js';
export { MODEL_NAMES, type ModelName, type AttributionResult, type AttributionModel } from './attribution-result.js';
export type { CreditTable } from './credit-table.js';
export { JOURNEY_MODELS, MODELS, type JourneyModel } from './models-registry.js';
export { journeyAnswer, type JourneyAnswer } from './journey-answer.js';
export { attributeFacts, type FactsAttribution } from './attribute-facts.js';
export { MODEL_EXPLANATIONS } from './model-explanations.js';
export { fromMicros, MicroTotals, splitMicros, toMicros } from './money.js';
export { firstTouch } from './models/first-touch.js';
export { lastTouch } from './models/last-touch.js';
export { lastNonDirect } from './models/last-non-direct.js';
export { linear } from './models/linear.js';
export { timeDecay } from './models/time-decay.js';
export { positionBased } from './models/position-based.js';
export { markov } from './models/markov.js';
export { shapley } from './models/shapley.js';
export { markovRemovalEffects, type MarkovRemovalEffects } from './markov/markov-removal-effects.js';
export type { PathStep } from './markov/path-step.js';
export { shapleyValues, type ShapleyValues } from './shapley/shapley-values.js';
