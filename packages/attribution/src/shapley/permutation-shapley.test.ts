// permutationShapley: every sampled ordering hands out each conversion exactly once.
import { describe, expect, it } from 'vitest';
import { ChannelIndex } from '../channel-index.js';
import { journey } from '../test-support/journeys.js';
import { aggregateChannelSets } from './channel-sets.js';
import { permutationShapley } from './permutation-shapley.js';

describe('permutationShapley', () => {
  const sets = aggregateChannelSets(
    [journey('ab', 'A>B'), journey('abc', 'A>B>C'), journey('c', 'C')],
    new ChannelIndex(),
  );

  it.each([1, 2, 7])('averages exactly %i orderings, each giving out all 3 conversions in whole units', (samples) => {
    const phi = [...permutationShapley(sets, samples, 5)];
    expect(phi.reduce((a, b) => a + b, 0)).toBeCloseTo(3, 12);
    for (const value of phi) expect(Number.isInteger(Math.round(value * samples * 1e9) / 1e9)).toBe(true);
    expect(phi[2]).toBeGreaterThanOrEqual(1); // C always completes its own set {C}
  });
});
