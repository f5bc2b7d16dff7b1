// Time-decay model: touches closer to the conversion earn exponentially more credit.
import { DAY_MS, type AttributionOptions } from '../attribution-options.js';
import type { AttributionResult } from '../attribution-result.js';
import { attributeByTouchWeights } from '../attribute-by-touch-weights.js';
import type { Journey } from '../journey.js';

/** Weight 2^(-(convertedAt - t) / halfLife), normalised per conversion. @default halfLifeMs 7 days */
export function timeDecay(journeys: readonly Journey[], options: AttributionOptions = {}): AttributionResult {
  const halfLife = options.halfLifeMs ?? 7 * DAY_MS;
  if (!(halfLife > 0 && Number.isFinite(halfLife))) {
    throw new RangeError(`timeDecay: halfLifeMs must be a positive finite number, got ${halfLife}`);
  }
  return attributeByTouchWeights('time_decay', journeys, (journey, out) => {
    const touches = journey.touchpoints;
    const n = touches.length;
    // Measuring from the last touch instead of convertedAt scales every weight by the same
    // constant (so shares are identical) but keeps the largest weight at 1: old journeys
    // cannot underflow to all-zero weights.
    const reference = touches[n - 1]?.timestamp ?? journey.convertedAt;
    for (let i = 0; i < n; i++) {
      out[i] = Math.pow(2, -(reference - (touches[i]?.timestamp ?? reference)) / halfLife);
    }
  });
}
