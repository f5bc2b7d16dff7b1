// One conversion's journey as the API, the dashboard and its CSV show it: touchpoints, and each per-journey model's credit.
import { buildJourneys, type ConversionFact, type SessionFact } from './build-journeys.js';
import { JOURNEY_MODELS, MODELS, type JourneyModel } from './models-registry.js';

export interface JourneyAnswer {
  conversion: { id: string; visitorId: string; timestamp: number; revenue: number | null };
  touchpoints: Array<{ channel: string; timestamp: number; campaign: string | null }>;
  /** Per model, the credit each touched channel gets (summing to 1 per model). */
  credits: Record<JourneyModel, Array<{ channel: string; credit: number; revenue: number }>>;
}

/**
 * `person`: the converter's visitors (it and every visitor linked to it) and their sessions in
 * [timestamp - lookback, timestamp]; the journey is built exactly as attribution builds it.
 */
export function journeyAnswer(
  conversion: ConversionFact,
  person: { visitors: readonly string[]; sessions: readonly SessionFact[] },
  lookbackMs: number,
): JourneyAnswer {
  const pairs = person.visitors.map((otherId) => ({ visitorId: conversion.visitorId, otherId }));
  const journey = buildJourneys({ conversions: [conversion], sessions: person.sessions, links: [], pairs, lookbackMs })
    .journeys[0];
  const credits = Object.fromEntries(
    JOURNEY_MODELS.map((m) => [
      m,
      journey
        ? MODELS[m]([journey])
            .conversions.creditsAt(0)
            .map((c) => ({ channel: c.channel, credit: c.credit, revenue: c.revenue }))
        : [],
    ]),
  ) as JourneyAnswer['credits'];
  return {
    conversion: {
      id: conversion.id,
      visitorId: conversion.visitorId,
      timestamp: conversion.timestamp,
      revenue: conversion.revenue,
    },
    touchpoints: (journey?.touchpoints ?? []).map((t) => ({
      channel: t.channel,
      timestamp: t.timestamp,
      campaign: t.campaign ?? null,
    })),
    credits,
  };
}
