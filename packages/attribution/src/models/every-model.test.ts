// Properties every model must keep on arbitrary journeys: each conversion is credited exactly once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttributionOptions } from '../attribution-options.js';
import { MODEL_NAMES } from '../attribution-result.js';
import type { Journey, Touchpoint } from '../journey.js';
import { MODELS } from '../models-registry.js';
import { toMicros } from '../money.js';

const DAY = 86_400_000;
const channelArb = fc.constantFrom('search', 'social', 'email', 'direct', 'referral');

const touchesArb = fc
  .array(fc.tuple(channelArb, fc.integer({ min: 0, max: 90 * DAY })), { maxLength: 12 })
  .map((raw): Touchpoint[] =>
    raw.map(([channel, t]) => ({ channel, timestamp: t })).sort((a, b) => a.timestamp - b.timestamp),
  );

const journeysArb = fc
  .array(
    // Amounts as the wire carries them: decimals with up to 6 places, refunds included. Up to 3e7 each,
    // so the checks' own toMicros of 30 summed amounts stays in its exact range (totals beyond: money.test.ts).
    fc
      .tuple(touchesArb, fc.integer({ min: -1e12, max: 3e13 }))
      .map(([touchpoints, micros]) => ({ touchpoints, revenue: micros / 1e6 })),
    { minLength: 1, maxLength: 30 },
  )
  .map((raw): Journey[] => raw.map((j, i) => ({ conversionId: `c${i}`, convertedAt: 91 * DAY, ...j })));

const optionsArb = fc.record({
  halfLifeMs: fc.integer({ min: 1, max: 30 * DAY }),
  firstWeight: fc.double({ min: 0, max: 0.5, noNaN: true }),
  lastWeight: fc.double({ min: 0, max: 0.5, noNaN: true }),
  nonConverting: fc.array(touchesArb, { maxLength: 10 }),
  shapleyMethod: fc.constantFrom('simplified' as const, 'classic' as const),
  maxExactChannels: fc.constantFrom(16, 2),
  samples: fc.constant(50),
});

describe.each(MODEL_NAMES)('%s', (name) => {
  it('credits every conversion exactly once, in conversions and in revenue', () => {
    fc.assert(
      fc.property(journeysArb, optionsArb, (journeys, options: AttributionOptions) => {
        const result = MODELS[name](journeys, options);
        expect(result.model).toBe(name);
        expect(result.conversions.size).toBe(journeys.length);
        journeys.forEach((journey, i) => {
          const credits = result.conversions.creditsAt(i);
          const share = credits.reduce((sum, c) => sum + c.credit, 0);
          expect(Math.abs(share - 1)).toBeLessThanOrEqual(1e-9);
          // Revenue is split in whole micro-units: the credits add up to the conversion exactly.
          expect(credits.reduce((sum, c) => sum + toMicros(c.revenue), 0)).toBe(toMicros(journey.revenue));
          for (const c of credits) expect(toMicros(c.revenue) / 1e6).toBe(c.revenue);
          expect(new Set(credits.map((c) => c.channel)).size).toBe(credits.length);
          for (const c of credits) expect(c.credit).toBeGreaterThan(0);
          const present = journey.touchpoints.length === 0 ? ['direct'] : journey.touchpoints.map((t) => t.channel);
          for (const c of credits) expect(present).toContain(c.channel);
        });
        const total = result.channels.reduce((sum, c) => sum + c.conversions, 0);
        expect(Math.abs(total - journeys.length)).toBeLessThanOrEqual(1e-9 * journeys.length);
        // Channel totals are exact sums, printed without binary noise.
        const revenue = journeys.reduce((sum, j) => sum + toMicros(j.revenue), 0);
        expect(result.channels.reduce((sum, c) => sum + toMicros(c.revenue), 0)).toBe(revenue);
        for (const c of result.channels) expect(toMicros(c.revenue) / 1e6).toBe(c.revenue);
      }),
      { numRuns: 150 },
    );
  });
});
