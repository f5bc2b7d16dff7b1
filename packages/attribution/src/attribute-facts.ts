// One model over stored facts: journeys built, the model run, conversions and revenue counted; what every attribution answer is.
import type { AttributionResult, ModelName } from './attribution-result.js';
import { buildJourneys, type JourneyInput } from './build-journeys.js';
import { MODELS } from './models-registry.js';
import { MicroTotals, toMicros } from './money.js';

export interface FactsAttribution {
  result: AttributionResult;
  conversions: number;
  revenue: number;
}

/** `facts`: a JourneyInput without its lookback (storage's converter, journey or Markov facts). */
export function attributeFacts(
  model: ModelName,
  facts: Omit<JourneyInput, 'lookbackMs' | 'grouped'>,
  options: { lookbackMs: number; grouped: boolean },
): FactsAttribution {
  const { journeys, nonConverting, nonConvertingSteps } = buildJourneys({ ...facts, ...options });
  const result = MODELS[model](journeys, { nonConverting, nonConvertingSteps });
  // Summed in integer micro-units: exact, and printed without binary noise.
  const revenue = new MicroTotals();
  for (const j of journeys) revenue.add(0, toMicros(j.revenue));
  return { result, conversions: journeys.length, revenue: revenue.amount(0) };
}
