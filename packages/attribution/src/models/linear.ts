// Linear model: every touch counts the same, so a channel's share is its fraction of the touches.
import type { AttributionModel } from '../attribution-result.js';
import { attributeByTouchWeights } from '../attribute-by-touch-weights.js';

// Typed as the common signature: the options argument is accepted and has nothing to configure.
/** Equal weight per touch; a channel touched twice gets two shares. */
export const linear: AttributionModel = (journeys) =>
  attributeByTouchWeights('linear', journeys, (journey, out) => {
    out.fill(1, 0, journey.touchpoints.length);
  });
