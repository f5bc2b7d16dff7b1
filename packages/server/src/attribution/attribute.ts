// Runs one attribution model over an account's facts: the seam between storage, journeys and the pure models.
import { buildJourneys, MicroTotals, MODELS, toMicros, type AttributionResult, type ModelName } from '@touchline/attribution';
import type { AttributionDimension, AttributionFacts, MarkovFacts, Storage } from '@touchline/storage';

export const LOOKBACK_DAYS = [7, 30, 60, 90] as const;
export type LookbackDays = (typeof LOOKBACK_DAYS)[number];
const DAY = 86_400_000;

export interface AttributionQuery {
  accountId: string; model: ModelName; from: number; to: number; lookbackDays: LookbackDays;
  /** A breakdown: credit (channel, value) pairs of this session dimension instead of channels. @default 'channel' */
  groupBy?: AttributionDimension;
}

export interface AttributionAnswer {
  result: AttributionResult;
  conversions: number;
  revenue: number;
  /** True when the session cap was hit and older touchpoints were left out. */
  truncated: boolean;
}

/** Upper bound on sessions loaded for one query: keeps a query's memory bounded (no floods). */
export const MAX_SESSIONS_PER_QUERY = 2_000_000;

export async function attribute(storage: Storage, q: AttributionQuery): Promise<AttributionAnswer> {
  const lookbackMs = q.lookbackDays * DAY;
  const dimension = q.groupBy ?? 'channel';
  const window = { from: q.from, to: q.to, lookbackMs, maxSessions: MAX_SESSIONS_PER_QUERY, dimension };
  // Only Markov reads the paths of people who did not convert; every other model's journeys are
  // built from the converters' sessions alone (the same journeys, a few percent of the rows).
  // Markov's facts bring the people who converted or have identity links as sessions and every
  // other visitor's path as steps counted in the database (markovFacts), and leave out the utm
  // column unless the breakdown is a utm field: no model reads a touchpoint's campaign.
  const facts: AttributionFacts & Partial<Pick<MarkovFacts, 'steps'>> = q.model === 'markov'
    ? await storage.markovFacts(q.accountId, { ...window, campaigns: false })
    : await storage.converterFacts(q.accountId, window);
  const { journeys, nonConverting, nonConvertingSteps } = buildJourneys({ ...facts, lookbackMs, grouped: dimension !== 'channel' });
  const result = MODELS[q.model](journeys, { nonConverting, nonConvertingSteps });
  // Summed in integer micro-units: exact, and printed without binary noise.
  const revenue = new MicroTotals();
  for (const j of journeys) revenue.add(0, toMicros(j.revenue));
  return {
    result,
    conversions: journeys.length,
    revenue: revenue.amount(0),
    truncated: facts.truncated,
  };
}
