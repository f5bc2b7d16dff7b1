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
