// Last non-direct model: a direct revisit should not steal credit from the channel that brought the visitor.
import type { AttributionModel } from '../attribution-result.js';
import { attributeByTouchWeights } from '../attribute-by-touch-weights.js';
import { channelOfKey } from '../grouped-key.js';
import { DIRECT } from '../journey.js';

// Typed as the common signature: the options argument is accepted and has nothing to configure.
/** 100% to the latest touch whose channel is not `direct` (grouped keys too); all-direct journeys credit direct (their first touch). */
export const lastNonDirect: AttributionModel = (journeys) =>
  attributeByTouchWeights('last_non_direct', journeys, (journey, out) => {
    const touches = journey.touchpoints;
    const n = touches.length;
    out.fill(0, 0, n);
    let chosen = n - 1;
    while (chosen > 0 && channelOfKey(touches[chosen]?.channel ?? DIRECT) === DIRECT) chosen--;
    out[chosen] = 1;
  });
