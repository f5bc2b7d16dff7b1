// Tests journey building: lookback window, cross-device stitching through identify, non-converting paths.
import { describe, expect, it } from 'vitest';
import { buildJourneys, type SessionFact } from './build-journeys.js';

const DAY = 86_400_000;
const s = (id: string, visitorId: string, day: number, channel: string | null): SessionFact => ({
  id,
  visitorId,
  startedAt: day * DAY,
  channel,
  campaign: null,
});

describe('buildJourneys', () => {
  it('takes the converting visitor sessions inside the lookback, in time order, direct when unclassified', () => {
    const { journeys } = buildJourneys({
      conversions: [{ id: 'c1', visitorId: 'v1', sessionId: null, timestamp: 40 * DAY, revenue: 10 }],
      sessions: [
        s('a', 'v1', 39, null),
        s('b', 'v1', 5, 'email'),
        s('c', 'v1', 20, 'paid_search'),
        s('d', 'v1', 41, 'referral'),
      ],
      links: [],
      lookbackMs: 30 * DAY,
    });
    expect(journeys).toEqual([
      {
        conversionId: 'c1',
        revenue: 10,
        convertedAt: 40 * DAY,
        touchpoints: [
          { channel: 'paid_search', timestamp: 20 * DAY, campaign: null },
          { channel: 'direct', timestamp: 39 * DAY, campaign: null },
        ],
      },
    ]);
  });

  it('stitches devices that identify as the same user, transitively, and not others', () => {
    const { journeys, nonConverting } = buildJourneys({
      conversions: [{ id: 'c1', visitorId: 'laptop', sessionId: null, timestamp: 10 * DAY, revenue: null }],
      sessions: [
        s('a', 'phone', 2, 'organic_social'),
        s('b', 'tablet', 3, 'email'),
        s('c', 'laptop', 9, 'direct'),
        s('d', 'stranger', 4, 'display'),
      ],
      links: [
        { userId: 'u1', visitorId: 'phone' },
        { userId: 'u1', visitorId: 'tablet' },
        { userId: 'u2', visitorId: 'tablet' },
        { userId: 'u2', visitorId: 'laptop' },
      ],
      lookbackMs: 30 * DAY,
    });
    expect(journeys[0]?.touchpoints.map((t) => t.channel)).toEqual(['organic_social', 'email', 'direct']);
    expect(journeys[0]?.revenue).toBe(0);
    expect(nonConverting).toEqual([[{ channel: 'display', timestamp: 4 * DAY, campaign: null }]]);
  });

  it('gives a conversion with no session in the window an empty journey (credited to direct by the models)', () => {
    const { journeys } = buildJourneys({
      conversions: [{ id: 'c', visitorId: 'v', sessionId: null, timestamp: 100 * DAY, revenue: 1 }],
      sessions: [s('a', 'v', 1, 'email')],
      links: [],
      lookbackMs: 7 * DAY,
    });
    expect(journeys[0]?.touchpoints).toEqual([]);
  });

  it("ends a journey at the conversion's own session when the next visit lands in the same millisecond", () => {
    const at = 40 * DAY;
    const sessions = [s('first', 'v', 39, 'referral'), { ...s('next', 'v', 0, 'paid_search'), startedAt: at }];
    const own = buildJourneys({
      conversions: [{ id: 'c', visitorId: 'v', sessionId: 'first', timestamp: at, revenue: 1 }],
      sessions,
      links: [],
      lookbackMs: 30 * DAY,
    });
    expect(own.journeys[0]?.touchpoints.map((t) => t.channel)).toEqual(['referral']);
    // Its own session starting in that millisecond is kept, and so is a tie when the session is unknown.
    const inNext = buildJourneys({
      conversions: [{ id: 'c', visitorId: 'v', sessionId: 'next', timestamp: at, revenue: 1 }],
      sessions,
      links: [],
      lookbackMs: 30 * DAY,
    });
    expect(inNext.journeys[0]?.touchpoints.map((t) => t.channel)).toEqual(['referral', 'paid_search']);
    const unknown = buildJourneys({
      conversions: [{ id: 'c', visitorId: 'v', sessionId: null, timestamp: at, revenue: 1 }],
      sessions,
      links: [],
      lookbackMs: 30 * DAY,
    });
    expect(unknown.journeys[0]?.touchpoints.map((t) => t.channel)).toEqual(['referral', 'paid_search']);
  });

  it('keys counted steps like touchpoints (unclassified is direct, breakdowns grouped) and sums steps that share a key', () => {
    const steps = [
      { from: null, to: { channel: null, group: 'x' }, count: 2 },
      { from: null, to: { channel: 'direct', group: 'x' }, count: 3 },
      { from: { channel: 'email', group: null }, to: null, count: 4 },
    ];
    const plain = buildJourneys({ conversions: [], sessions: [], links: [], lookbackMs: DAY, steps });
    expect(plain.nonConvertingSteps).toEqual([
      { from: null, to: 'direct', count: 5 },
      { from: 'email', to: null, count: 4 },
    ]);
    const grouped = buildJourneys({ conversions: [], sessions: [], links: [], lookbackMs: DAY, steps, grouped: true });
    expect(grouped.nonConvertingSteps).toEqual([
      { from: null, to: 'direct\u001fx', count: 5 },
      { from: 'email\u001f', to: null, count: 4 },
    ]);
  });
});
