// First-touch model: the whole conversion goes to the channel that introduced the visitor.
import type { AttributionModel } from '../attribution-result.js';
import { attributeByTouchWeights } from '../attribute-by-touch-weights.js';

// Typed as the common signature: the options argument is accepted and has nothing to configure.
/** 100% to the earliest touch; an empty journey credits `direct`. */
export const firstTouch: AttributionModel = (journeys) =>
  attributeByTouchWeights('first_touch', journeys, (journey, out) => {
    out.fill(0, 0, journey.touchpoints.length);
    out[0] = 1;
  });
