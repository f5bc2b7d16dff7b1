// Driver shared by the data-driven models: split each conversion among the channels on its path by model-level share.
import type { AttributionResult, ModelName } from './attribution-result.js';
import type { ChannelIndex } from './channel-index.js';
import { CreditTableBuilder } from './credit-table-builder.js';
import { DIRECT, type Journey } from './journey.js';

/**
 * Each conversion is shared among the distinct channels on its path in proportion to
 * `shareById` (indexed by `index` ids), so every conversion still sums to 1. A path whose
 * channels all have share 0 is split equally: the model carries no information about it.
 */
export function attributeByChannelShares(
  model: ModelName,
  journeys: readonly Journey[],
  index: ChannelIndex,
  shareById: Float64Array,
): AttributionResult {
  const builder = new CreditTableBuilder(journeys, index);
  for (const journey of journeys) {
    const touches = journey.touchpoints;
    if (touches.length === 0) {
      const direct = index.idOf(DIRECT);
      builder.include(direct, shareById[direct] ?? 0);
    }
    for (const touch of touches) {
      const id = index.idOf(touch.channel);
      builder.include(id, shareById[id] ?? 0);
    }
    builder.end();
  }
  const channelWeights = new Map<string, number>();
  index.names.forEach((name, id) => channelWeights.set(name, shareById[id] ?? 0));
  return builder.finish(model, channelWeights);
}
