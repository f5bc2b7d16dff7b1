// Which Shapley computation computeShapleyPhi picks, and that it passes the caller's samples and seed through.
import { describe, expect, it } from 'vitest';
import { ChannelIndex } from '../channel-index.js';
import { journey } from '../test-support/journeys.js';
import { aggregateChannelSets } from './channel-sets.js';
import { permutationShapley } from './permutation-shapley.js';
import { computeShapleyPhi } from './shapley-values.js';

// One conversion per pair: exact Shapley splits each pair 1/2 : 1/2, so A = B = C = 1.
// One sampled ordering gives each pair wholly to one member, so it can never be 1/1/1.
const pairs = aggregateChannelSets(
  [journey('ab', 'A>B'), journey('bc', 'B>C'), journey('ca', 'C>A')],
  new ChannelIndex(),
);
const exact = [1, 1, 1];

describe('computeShapleyPhi method choice', () => {
  it('defaults to the exact simplified form, whatever the classic limit says', () => {
    expect([...computeShapleyPhi(pairs, { maxExactChannels: 0, samples: 1 })]).toEqual(exact);
  });

  it('uses the simplified form when asked, even above the classic limit', () => {
    const phi = computeShapleyPhi(pairs, { shapleyMethod: 'simplified', maxExactChannels: 0, samples: 1 });
    expect([...phi]).toEqual(exact);
  });

  it('classic samples permutations above maxExactChannels', () => {
    const options = { shapleyMethod: 'classic', maxExactChannels: 2, samples: 1, seed: 3 } as const;
    expect([...computeShapleyPhi(pairs, options)]).toEqual([...permutationShapley(pairs, 1, 3)]);
    expect([...computeShapleyPhi(pairs, options)]).not.toEqual(exact);
  });

  it('classic is exact at exactly maxExactChannels channels', () => {
    const phi = computeShapleyPhi(pairs, { shapleyMethod: 'classic', maxExactChannels: 3, samples: 1 });
    expect([...phi].map((v) => Math.round(v * 1e9) / 1e9)).toEqual(exact);
  });

  it('classic is exact by default for three channels (limit 16)', () => {
    const phi = computeShapleyPhi(pairs, { shapleyMethod: 'classic', samples: 1 });
    expect([...phi].map((v) => Math.round(v * 1e9) / 1e9)).toEqual(exact);
  });
});

describe('computeShapleyPhi sampling options', () => {
  const sampled = { shapleyMethod: 'classic', maxExactChannels: 1 } as const;

  it('passes samples and seed through to the sampler', () => {
    const phi = computeShapleyPhi(pairs, { ...sampled, samples: 3, seed: 7 });
    expect([...phi]).toEqual([...permutationShapley(pairs, 3, 7)]);
    // Guards: the seed and the sample count both change the estimate here, so the line above can tell.
    expect([...phi]).not.toEqual([...permutationShapley(pairs, 3, 1)]);
    expect([...phi]).not.toEqual([...permutationShapley(pairs, 2000, 7)]);
  });

  it('defaults to 2000 samples with seed 1', () => {
    expect([...computeShapleyPhi(pairs, sampled)]).toEqual([...permutationShapley(pairs, 2000, 1)]);
    expect([...permutationShapley(pairs, 2000, 1)]).not.toEqual([...permutationShapley(pairs, 2000, 0)]);
  });
});
