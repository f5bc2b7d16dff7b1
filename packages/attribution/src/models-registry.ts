// Name -> model lookup, typed so adding a model name without an implementation fails to compile.
import type { AttributionModel, ModelName } from './attribution-result.js';
import { firstTouch } from './models/first-touch.js';
import { lastNonDirect } from './models/last-non-direct.js';
import { lastTouch } from './models/last-touch.js';
import { linear } from './models/linear.js';
import { markov } from './models/markov.js';
import { positionBased } from './models/position-based.js';
import { shapley } from './models/shapley.js';
import { timeDecay } from './models/time-decay.js';

export const MODELS: Readonly<Record<ModelName, AttributionModel>> = Object.freeze({
  first_touch: firstTouch,
  last_touch: lastTouch,
  last_non_direct: lastNonDirect,
  linear,
  time_decay: timeDecay,
  position_based: positionBased,
  markov,
  shapley,
});

/**
 * Which models credit one journey on its own (a conversion's page shows them) and which need the
 * population of journeys (Markov's removal effect, Shapley's channel sets): the one list every
 * reader takes, so adding a model means flagging it here.
 */
const PER_JOURNEY = {
  first_touch: true,
  last_touch: true,
  last_non_direct: true,
  linear: true,
  time_decay: true,
  position_based: true,
  markov: false,
  shapley: false,
} as const satisfies Record<ModelName, boolean>;

/** A model that credits a single journey by itself. */
export type JourneyModel = { [K in ModelName]: (typeof PER_JOURNEY)[K] extends true ? K : never }[ModelName];

/** The per-journey models, in the registry's order. */
export const JOURNEY_MODELS: readonly JourneyModel[] = Object.freeze(
  (Object.keys(PER_JOURNEY) as ModelName[]).filter((m): m is JourneyModel => PER_JOURNEY[m]),
);
