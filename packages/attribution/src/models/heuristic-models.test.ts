// Hand-computed credits for every rule-based model, one table row per case.
import { describe, expect, it } from 'vitest';
import { DAY_MS, type AttributionOptions } from '../attribution-options.js';
import type { AttributionModel } from '../attribution-result.js';
import { closeRecord, creditsOf, journey, totalsOf } from '../test-support/journeys.js';
import { firstTouch } from './first-touch.js';
import { lastNonDirect } from './last-non-direct.js';
import { lastTouch } from './last-touch.js';
import { linear } from './linear.js';
import { positionBased } from './position-based.js';
import { timeDecay } from './time-decay.js';

interface Row {
  readonly name: string;
  readonly model: AttributionModel;
  readonly path: string;
  readonly daysBefore?: readonly number[];
  readonly options?: AttributionOptions;
  readonly expected: Record<string, number>;
}

const rows: readonly Row[] = [
  { name: 'first touch takes the earliest channel', model: firstTouch, path: 'a>b>c', expected: { a: 1 } },
  { name: 'first touch of an empty journey is direct', model: firstTouch, path: '', expected: { direct: 1 } },
  { name: 'last touch takes the final channel', model: lastTouch, path: 'a>b>c', expected: { c: 1 } },
  { name: 'last touch keeps a final direct', model: lastTouch, path: 'a>direct', expected: { direct: 1 } },
  {
    name: 'last non-direct skips trailing direct',
    model: lastNonDirect,
    path: 'a>b>direct>direct',
    expected: { b: 1 },
  },
  { name: 'last non-direct with no direct = last', model: lastNonDirect, path: 'a>b', expected: { b: 1 } },
  {
    name: 'last non-direct falls back to direct',
    model: lastNonDirect,
    path: 'direct>direct',
    expected: { direct: 1 },
  },
  { name: 'last non-direct of an empty journey', model: lastNonDirect, path: '', expected: { direct: 1 } },
  { name: 'linear splits per touch', model: linear, path: 'a>b>c>d', expected: { a: 0.25, b: 0.25, c: 0.25, d: 0.25 } },
  { name: 'linear counts repeats', model: linear, path: 'a>b>a', expected: { a: 2 / 3, b: 1 / 3 } },
  // Weights 2^-2, 2^-1, 2^0 = 1/4, 1/2, 1 (sum 7/4) -> 1/7, 2/7, 4/7.
  {
    name: 'time decay, default 7-day half-life',
    model: timeDecay,
    path: 'a>b>c',
    daysBefore: [14, 7, 0],
    expected: { a: 1 / 7, b: 2 / 7, c: 4 / 7 },
  },
  // Weights 2^-3, 2^-2 = 1/8, 1/4 -> 1/3, 2/3 (measured from convertedAt, 3 and 2 days before).
  {
    name: 'time decay, 1-day half-life',
    model: timeDecay,
    path: 'a>b',
    daysBefore: [3, 2],
    options: { halfLifeMs: DAY_MS },
    expected: { a: 1 / 3, b: 2 / 3 },
  },
  // Same-age touches weigh the same: 2^-(1/7) each.
  {
    name: 'time decay, simultaneous touches',
    model: timeDecay,
    path: 'a>b',
    daysBefore: [1, 1],
    expected: { a: 0.5, b: 0.5 },
  },
  // 7000 half-lives back, 2^-x underflows to 0 if measured from convertedAt; shares are still 1/3, 2/3.
  {
    name: 'time decay, ancient journey',
    model: timeDecay,
    path: 'a>b',
    daysBefore: [7001, 7000],
    options: { halfLifeMs: DAY_MS },
    expected: { a: 1 / 3, b: 2 / 3 },
  },
  { name: 'position based, one touch', model: positionBased, path: 'a', expected: { a: 1 } },
  { name: 'position based, two touches', model: positionBased, path: 'a>b', expected: { a: 0.5, b: 0.5 } },
  { name: 'position based, three touches', model: positionBased, path: 'a>b>c', expected: { a: 0.4, b: 0.2, c: 0.4 } },
  {
    name: 'position based, four touches',
    model: positionBased,
    path: 'a>b>c>d',
    expected: { a: 0.4, b: 0.1, c: 0.1, d: 0.4 },
  },
  { name: 'position based, repeated first/last', model: positionBased, path: 'a>b>a', expected: { a: 0.8, b: 0.2 } },
  {
    name: 'position based, 30/30',
    model: positionBased,
    path: 'a>b>c>d',
    options: { firstWeight: 0.3, lastWeight: 0.3 },
    expected: { a: 0.3, b: 0.2, c: 0.2, d: 0.3 },
  },
  // Two touches split first:last, so 60/20 becomes 3/4, 1/4.
  {
    name: 'position based, 60/20 with two touches',
    model: positionBased,
    path: 'a>b',
    options: { firstWeight: 0.6, lastWeight: 0.2 },
    expected: { a: 0.75, b: 0.25 },
  },
  {
    name: 'position based, 0/0 with two touches',
    model: positionBased,
    path: 'a>b',
    options: { firstWeight: 0, lastWeight: 0 },
    expected: { a: 0.5, b: 0.5 },
  },
  { name: 'position based, empty journey', model: positionBased, path: '', expected: { direct: 1 } },
];

describe('rule-based models', () => {
  it.each(rows)('$name', ({ model, path, daysBefore, options, expected }) => {
    const result = model([journey('c1', path, 250, daysBefore)], options);
    const credits = creditsOf(result);
    expect(closeRecord(credits, expected), JSON.stringify(credits)).toBe(true);
    // Each credit's revenue is its share of 250 in whole micro-units (within one), and they add up to 250 exactly.
    const revenues = result.conversions.creditsAt(0).map((c) => {
      expect(Math.abs(c.revenue - c.credit * 250)).toBeLessThanOrEqual(1e-6);
      return Math.round(c.revenue * 1e6);
    });
    expect(revenues.reduce((a, b) => a + b, 0)).toBe(250_000_000);
  });

  it('sums per-conversion credits into channel totals with revenue', () => {
    const result = linear([journey('c1', 'a>b', 100), journey('c2', 'b', 10), journey('c3', '', 1)]);
    expect(totalsOf(result)).toEqual({ b: 1.5, a: 0.5, direct: 1 });
    expect(result.channels.map((c) => c.channel)).toEqual(['b', 'direct', 'a']);
    expect(result.channels.find((c) => c.channel === 'b')?.revenue).toBeCloseTo(60, 12);
    expect(result.conversions.toMap().get('c2')).toEqual([{ channel: 'b', credit: 1, revenue: 10 }]);
  });

  it.each([
    {
      name: 'zero half-life',
      run: () => timeDecay([], { halfLifeMs: 0 }),
      message: 'timeDecay: halfLifeMs must be a positive finite number, got 0',
    },
    {
      name: 'negative first weight',
      run: () => positionBased([], { firstWeight: -0.1 }),
      message: 'positionBased: need firstWeight, lastWeight >= 0 with sum <= 1, got -0.1, 0.4',
    },
    {
      name: 'negative last weight',
      run: () => positionBased([], { lastWeight: -0.1 }),
      message: 'positionBased: need firstWeight, lastWeight >= 0 with sum <= 1, got 0.4, -0.1',
    },
    {
      name: 'position weights above 1',
      run: () => positionBased([], { firstWeight: 0.6, lastWeight: 0.6 }),
      message: 'positionBased: need firstWeight, lastWeight >= 0 with sum <= 1, got 0.6, 0.6',
    },
  ])('rejects $name, saying which option and value', ({ run, message }) => {
    expect(run).toThrow(new RangeError(message));
  });

  it('gives a lone touch all the credit even when both end weights are 0', () => {
    expect(totalsOf(positionBased([journey('c1', 'a')], { firstWeight: 0, lastWeight: 0 }))).toEqual({ a: 1 });
  });

  it('accepts position weights summing to 1 within the 1e-12 rounding allowance', () => {
    expect(totalsOf(positionBased([journey('c1', 'a>b')], { firstWeight: 1, lastWeight: 1e-12 }))).toEqual({
      a: 1 / (1 + 1e-12),
      b: 1e-12 / (1 + 1e-12),
    });
  });
});
