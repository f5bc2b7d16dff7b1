// Driver shared by the rule-based models: a per-touch weight rule becomes normalised per-channel credit.
import type { AttributionResult, ModelName } from './attribution-result.js';
import { ChannelIndex } from './channel-index.js';
import { CreditTableBuilder } from './credit-table-builder.js';
import { DIRECT, type Journey } from './journey.js';

/**
 * Writes a non-negative weight for each touch of a non-empty journey into `out[0 .. n)`.
 * Weights need not sum to 1 (the driver normalises) but at least one must be positive.
 */
export type TouchWeigher = (journey: Journey, out: Float64Array) => void;

/** Runs `weigh` over every journey; an empty journey credits `direct` in full. */
export function attributeByTouchWeights(
  model: ModelName,
  journeys: readonly Journey[],
  weigh: TouchWeigher,
): AttributionResult {
  const index = new ChannelIndex();
  const builder = new CreditTableBuilder(journeys, index);
  let out = new Float64Array(64);
  for (const journey of journeys) {
    const touches = journey.touchpoints;
    const n = touches.length;
    if (n === 0) {
      builder.add(index.idOf(DIRECT), 1);
      builder.end();
      continue;
    }
    if (n > out.length) out = new Float64Array(n * 2);
    weigh(journey, out);
    for (let i = 0; i < n; i++) {
      const weight = out[i] ?? 0;
      // Skipping zero weights saves a dictionary lookup per touch for first/last-touch style rules.
      if (weight > 0) builder.add(index.idOf(touches[i]?.channel ?? DIRECT), weight);
    }
    builder.end();
  }
  return builder.finish(model);
}
