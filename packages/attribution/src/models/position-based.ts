// Position-based (U-shaped) model: first and last touches get fixed shares, the middle splits the rest.
import type { AttributionOptions } from '../attribution-options.js';
import type { AttributionResult } from '../attribution-result.js';
import { attributeByTouchWeights } from '../attribute-by-touch-weights.js';
import type { Journey } from '../journey.js';

/**
 * 40% first, 40% last, 20% spread over the middle (configurable). One touch takes 100%; two
 * touches split first:last (50/50 with the symmetric default) since there is no middle.
 */
export function positionBased(journeys: readonly Journey[], options: AttributionOptions = {}): AttributionResult {
  const first = options.firstWeight ?? 0.4;
  const last = options.lastWeight ?? 0.4;
  if (!(first >= 0 && last >= 0 && first + last <= 1 + 1e-12)) {
    throw new RangeError(`positionBased: need firstWeight, lastWeight >= 0 with sum <= 1, got ${first}, ${last}`);
  }
  const ends = first + last;
  return attributeByTouchWeights('position_based', journeys, (journey, out) => {
    const n = journey.touchpoints.length;
    if (n === 1) {
      out[0] = 1;
      return;
    }
    if (n === 2) {
      out[0] = ends > 0 ? first : 1;
      out[1] = ends > 0 ? last : 1;
      return;
    }
    out.fill((1 - ends) / (n - 2), 1, n - 1);
    out[0] = first;
    out[n - 1] = last;
  });
}
