// Last-touch model: the whole conversion goes to the channel of the final touch.
import type { AttributionModel } from '../attribution-result.js';
import { attributeByTouchWeights } from '../attribute-by-touch-weights.js';

// Typed as the common signature: the options argument is accepted and has nothing to configure.
/** 100% to the latest touch; an empty journey credits `direct`. */
export const lastTouch: AttributionModel = (journeys) =>
  attributeByTouchWeights('last_touch', journeys, (journey, out) => {
    const n = journey.touchpoints.length;
    out.fill(0, 0, n);
    out[n - 1] = 1;
  });
