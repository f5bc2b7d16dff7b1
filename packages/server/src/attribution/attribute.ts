// Runs one attribution model over an account's facts: the seam between storage, journeys and the pure models.
import { attributeFacts, type AttributionResult, type ModelName } from '@touchline/attribution';
import type { AttributionDimension, JourneyFacts, MarkovFacts, Storage } from '@touchline/storage';

export const LOOKBACK_DAYS = [7, 30, 60, 90] as const;
export type LookbackDays = (typeof LOOKBACK_DAYS)[number];
const DAY = 86_400_000;

export interface AttributionQuery {
  accountId: string;
  model: ModelName;
  from: number;
  to: number;
  lookbackDays: LookbackDays;
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
  // built from the converters' sessions alone (the same journeys, a few percent of the rows), read
  // through the materialized journeys (journeyFacts: live for persons the refresher has not caught
  // up with, so the answer never depends on its progress).
  // Markov's facts bring the people who converted or have identity links as sessions and every
  // other visitor's path as steps counted in the database (markovFacts). Both leave out the utm
  // column unless the breakdown is a utm field: no model reads a touchpoint's campaign (parsing
  // each touch's utm JSON was a large part of a per-journey read at 10M events).
  const facts: MarkovFacts | JourneyFacts =
    q.model === 'markov'
      ? await storage.markovFacts(q.accountId, { ...window, campaigns: false })
      : await storage.journeyFacts(q.accountId, { ...window, campaigns: false });
  const answer = attributeFacts(q.model, facts, { lookbackMs, grouped: dimension !== 'channel' });
  return {
    ...answer,
    truncated: facts.truncated,
  };
}
