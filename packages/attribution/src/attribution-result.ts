// The common model signature and the value every model returns.
import type { AttributionOptions } from './attribution-options.js';
import type { CreditTable } from './credit-table.js';
import type { ChannelTotal, Journey } from './journey.js';

export const MODEL_NAMES = [
  'first_touch',
  'last_touch',
  'last_non_direct',
  'linear',
  'time_decay',
  'position_based',
  'markov',
  'shapley',
] as const;

export type ModelName = (typeof MODEL_NAMES)[number];

/** What every model returns. */
export interface AttributionResult {
  readonly model: ModelName;
  /** Per-channel sums of the per-conversion credits, largest first. */
  readonly channels: readonly ChannelTotal[];
  /** Per-conversion credits, indexed like the input journeys. */
  readonly conversions: CreditTable;
  /**
   * Data-driven models only: the model-level share per channel (normalised removal effect
   * or Shapley value) that per-conversion credits are split by. Sums to 1.
   */
  readonly channelWeights?: ReadonlyMap<string, number>;
}

/** The one signature every model implements: pure, no I/O, no mutation of inputs. */
export type AttributionModel = (journeys: readonly Journey[], options?: AttributionOptions) => AttributionResult;
