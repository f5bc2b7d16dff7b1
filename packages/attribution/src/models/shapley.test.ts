// Shapley values against hand-computed games; the simplified form must equal the classic one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttributionOptions } from '../attribution-options.js';
import type { Journey } from '../journey.js';
import { shapleyValues } from '../shapley/shapley-values.js';
import { closeRecord, creditsOf, journey } from '../test-support/journeys.js';
import { shapley } from './shapley.js';

/*
 * Conversions by channel set: {A} x3, {B} x1, {A,B} x2, {A,B,C} x3 (9 conversions).
 * Simplified form (Zhao, Mahboobi & Bagheri 2018, arXiv 1804.05327, phi_i = sum_{T containing i} R(T)/|T|):
 *   A = 3 + 2/2 + 3/3 = 5, B = 1 + 2/2 + 3/3 = 3, C = 3/3 = 1.
 * Classic form, v(S) = conversions whose set is inside S: v(A)=3 v(B)=1 v(C)=0 v(AB)=6 v(AC)=3
 * v(BC)=1 v(ABC)=9; weights |S|!(2-|S|)!/3! = 1/3, 1/6, 1/6, 1/3 for |S| = 0, 1, 1, 2:
 *   A = 1/3*3 + 1/6*(6-1) + 1/6*(3-0) + 1/3*(9-1) = 1 + 5/6 + 1/2 + 8/3 = 5
 *   B = 1/3*1 + 1/6*(6-3) + 1/6*(1-0) + 1/3*(9-3) = 1/3 + 1/2 + 1/6 + 2 = 3
 *   C = 1/3*0 + 1/6*(3-3) + 1/6*(1-1) + 1/3*(9-6) = 1
 */
const threeChannel = [
  ...['a1', 'a2', 'a3'].map((id) => journey(id, 'A')),
  journey('b1', 'B'),
  journey('ab1', 'A>B'),
  journey('ab2', 'B>A>B'),
  journey('abc1', 'A>B>C'),
  journey('abc2', 'C>B>A'),
  journey('abc3', 'C>A>C>B'),
];

// Two channels, {A} x3, {B} x1, {A,B} x2: classic A = 1/2*3 + 1/2*(6-1) = 4, B = 1/2*1 + 1/2*(6-3) = 2.
const twoChannel = [
  journey('a1', 'A'),
  journey('a2', 'A'),
  journey('a3', 'A'),
  journey('b1', 'B'),
  journey('ab1', 'A>B'),
  journey('ab2', 'B>A'),
];

interface ShapleyRow {
  readonly name: string;
  readonly journeys: readonly Journey[];
  readonly options: AttributionOptions;
  readonly phi: Record<string, number>;
  readonly digits: number;
}

describe('shapley', () => {
  it.each<ShapleyRow>([
    { name: 'two channels, simplified', journeys: twoChannel, options: {}, phi: { A: 4, B: 2 }, digits: 12 },
    {
      name: 'two channels, classic',
      journeys: twoChannel,
      options: { shapleyMethod: 'classic' },
      phi: { A: 4, B: 2 },
      digits: 12,
    },
    { name: 'three channels, simplified', journeys: threeChannel, options: {}, phi: { A: 5, B: 3, C: 1 }, digits: 12 },
    {
      name: 'three channels, classic',
      journeys: threeChannel,
      options: { shapleyMethod: 'classic' },
      phi: { A: 5, B: 3, C: 1 },
      digits: 12,
    },
    {
      name: 'three channels, sampled permutations',
      journeys: threeChannel,
      options: { shapleyMethod: 'classic', maxExactChannels: 0, samples: 20_000, seed: 7 },
      phi: { A: 5, B: 3, C: 1 },
      digits: 1,
    },
  ])('$name', ({ journeys, options, phi, digits }) => {
    const values = Object.fromEntries(shapleyValues(journeys, options));
    expect(closeRecord(values, phi, digits), JSON.stringify(values)).toBe(true);
  });

  it('splits each conversion among its channels in proportion to phi', () => {
    const result = shapley(threeChannel);
    expect(closeRecord(creditsOf(result, 0), { A: 1 })).toBe(true);
    expect(closeRecord(creditsOf(result, 4), { A: 5 / 8, B: 3 / 8 })).toBe(true);
    expect(closeRecord(creditsOf(result, 6), { A: 5 / 9, B: 3 / 9, C: 1 / 9 })).toBe(true);
    expect(result.channelWeights?.get('A')).toBeCloseTo(5 / 9, 12);
  });

  it('sampling is reproducible for a fixed seed', () => {
    const options: AttributionOptions = { shapleyMethod: 'classic', maxExactChannels: 1, samples: 50, seed: 3 };
    expect(shapleyValues(threeChannel, options)).toEqual(shapleyValues(threeChannel, options));
  });

  it('simplified equals classic on arbitrary conversions (the unanimity-game identity)', () => {
    const channels = ['a', 'b', 'c', 'd', 'e', 'f'];
    const pathArb = fc.array(fc.constantFrom(...channels), { minLength: 0, maxLength: 6 });
    fc.assert(
      fc.property(fc.array(pathArb, { minLength: 1, maxLength: 40 }), (paths) => {
        const journeys = paths.map((p, i) => journey(`c${i}`, p.join('>')));
        const simplified = Object.fromEntries(shapleyValues(journeys));
        const classic = Object.fromEntries(shapleyValues(journeys, { shapleyMethod: 'classic' }));
        expect(closeRecord(simplified, classic, 9)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('shapley: published worked example', () => {
  // "Data-Driven Marketing Attribution" (Towards Data Science; notebook reproduction in the public
  // repository tomgorb/misc, "Data Driven Attribution.ipynb"): channels Facebook (F), Organic (O),
  // LinkedIn (L); per 100 conversions the channel sets are F 20, O 10, L 17, F+O 17, F+L 30, L+O 0,
  // F+L+O 6; worth v(S) = share of conversions whose channel set lies inside S
  // ([0.2, 0.1, 0.17, 0.47, 0.67, 0.27, 1.0] in the source). Published Shapley values:
  // F 0.455, O 0.205, L 0.34.
  const counts: Array<[string[], number]> = [
    [['F'], 20],
    [['O'], 10],
    [['L'], 17],
    [['F', 'O'], 17],
    [['F', 'L'], 30],
    [['F', 'L', 'O'], 6],
  ];
  const journeys = counts.flatMap(([channels, n]) =>
    Array.from({ length: n }, (_, i) => ({
      conversionId: `${channels.join('+')}-${i}`,
      revenue: 1,
      convertedAt: 1000,
      touchpoints: channels.map((channel, k) => ({ channel, timestamp: k })),
    })),
  );

  it.each(['simplified', 'classic'] as const)('reproduces the published values with the %s form', (shapleyMethod) => {
    const values = shapleyValues(journeys, { shapleyMethod });
    const total = [...values.values()].reduce((a, b) => a + b, 0);
    expect(values.get('F')! / total).toBeCloseTo(0.455, 9);
    expect(values.get('O')! / total).toBeCloseTo(0.205, 9);
    expect(values.get('L')! / total).toBeCloseTo(0.34, 9);
  });
});
