// Markov removal effects reproduced from published and hand-worked examples, arithmetic shown.
import { describe, expect, it } from 'vitest';
import { markovRemovalEffects } from '../markov/markov-removal-effects.js';
import { countTransitions } from '../markov/transition-counts.js';
import { ChannelIndex } from '../channel-index.js';
import type { Journey, Touchpoint } from '../journey.js';
import { closeRecord, creditsOf, journey, path, totalsOf } from '../test-support/journeys.js';
import { markov } from './markov.js';

describe('markov', () => {
  /*
   * Serhii Puzyrov, "Markov Chain Attribution - Simple Explanation Of Removal Effect" (2019,
   * serhiipuzyrov.com/2019/07/markov-chain-attribution-simple-explanation-of-removal-effect/):
   * paths google ads x2 (conv), mailing (conv), google ads > mailing (conv), google ads (no conv).
   * Transitions as in the post: start->G 4/5, start->M 1/5, G->conv 2/4, G->M 1/4, G->null 1/4, M->conv 1.
   * P(conv): x_M = 1, x_G = 1/2 + 1/4 * 1 = 3/4, P = 4/5 * 3/4 + 1/5 * 1 = 4/5 (4 of 5 paths).
   * Remove G: only start->M->conv survives, P = 1/5, RE_G = 1 - (1/5)/(4/5) = 3/4.
   * Remove M: x_G = 1/2, P = 4/5 * 1/2 = 2/5, RE_M = 1 - (2/5)/(4/5) = 1/2.
   * Shares: G = 0.75 / 1.25 = 0.6, M = 0.5 / 1.25 = 0.4, i.e. 2.4 and 1.6 of the 4 conversions.
   */
  const puzyrov = {
    journeys: [
      journey('c1', 'google'),
      journey('c2', 'google'),
      journey('c3', 'mailing'),
      journey('c4', 'google>mailing'),
    ],
    nonConverting: [path('google')],
  };

  it('reproduces the transition probabilities of the Puzyrov example', () => {
    const index = new ChannelIndex();
    const { counts, width } = countTransitions(puzyrov.journeys, puzyrov.nonConverting, index);
    const [g, m, start, conv, none] = [index.idOf('google'), index.idOf('mailing'), 2, 3, 4];
    const row = (from: number): number[] => Array.from(counts.subarray(from * width, from * width + width));
    expect(row(start)).toEqual(withCounts(width, { [g]: 4, [m]: 1 }));
    expect(row(g)).toEqual(withCounts(width, { [conv]: 2, [m]: 1, [none]: 1 }));
    expect(row(m)).toEqual(withCounts(width, { [conv]: 2 }));
  });

  it('reproduces the removal effects and shares of the Puzyrov example', () => {
    const { conversionProbability, removalEffects } = markovRemovalEffects(puzyrov.journeys, puzyrov.nonConverting);
    expect(conversionProbability).toBeCloseTo(0.8, 12);
    expect(removalEffects.get('google')).toBeCloseTo(0.75, 12);
    expect(removalEffects.get('mailing')).toBeCloseTo(0.5, 12);
    const result = markov(puzyrov.journeys, { nonConverting: puzyrov.nonConverting });
    expect((result.channelWeights?.get('google') ?? 0) * 4).toBeCloseTo(2.4, 12);
    expect((result.channelWeights?.get('mailing') ?? 0) * 4).toBeCloseTo(1.6, 12);
    // Per conversion: single-channel paths keep their channel; google>mailing splits 0.6 / 0.4.
    expect(closeRecord(creditsOf(result, 3), { google: 0.6, mailing: 0.4 })).toBe(true);
    expect(closeRecord(totalsOf(result), { google: 2.6, mailing: 1.4 })).toBe(true);
  });

  /*
   * The three-path example common in Markov attribution tutorials: C1>C2>C3 converts, C1 and
   * C2>C3 do not. Transitions: start->C1 2/3, start->C2 1/3, C1->C2 1/2, C1->null 1/2, C2->C3 1,
   * C3->conv 1/2, C3->null 1/2. x_C3 = 1/2, x_C2 = 1/2, x_C1 = 1/4, P = 2/3*1/4 + 1/3*1/2 = 1/3.
   * Remove C1: P = 1/3 * 1/2 = 1/6, RE = 1/2. Remove C2 or C3: every path to conv is cut, RE = 1.
   * Shares 0.5/2.5 = 0.2, 1/2.5 = 0.4, 0.4; the single conversion is split exactly so.
   */
  it.each<MarkovRow>([
    {
      name: 'three-path tutorial example',
      journeys: [journey('c1', 'C1>C2>C3')],
      nonConverting: [path('C1'), path('C2>C3')],
      probability: 1 / 3,
      effects: { C1: 0.5, C2: 1, C3: 1 },
      credits: { C1: 0.2, C2: 0.4, C3: 0.4 },
    },
    {
      // start->A 2/3, start->B 1/3, A->B 1/2, A->null 1/2, B->conv 1: x_A = 1/2, P = 2/3.
      // Remove A: P = 1/3, RE_A = 1/2. Remove B: P = 0, RE_B = 1. Shares 1/3, 2/3.
      name: 'A>B and B convert, A does not',
      journeys: [journey('c1', 'A>B'), journey('c2', 'B')],
      nonConverting: [path('A')],
      probability: 2 / 3,
      effects: { A: 0.5, B: 1 },
      credits: { A: 1 / 3, B: 2 / 3 },
    },
    {
      // A self-loop changes no absorption probability: x_A = 1/3 x_A + 2/3 * 1/2 -> x_A = 1/2.
      // P = 1/2. Removing A leaves nothing: RE_A = 1.
      name: 'self-loops do not change absorption',
      journeys: [journey('c1', 'A>A')],
      nonConverting: [path('A')],
      probability: 1 / 2,
      effects: { A: 1 },
      credits: { A: 1 },
    },
    {
      // Converting paths only: every path ends in conv, P = 1; removing direct cuts 1 of 2 starts.
      name: 'empty journey is the path [direct]',
      journeys: [journey('c1', ''), journey('c2', 'email')],
      nonConverting: [],
      probability: 1,
      effects: { direct: 0.5, email: 0.5 },
      credits: { direct: 1 },
    },
  ])('$name', ({ journeys, nonConverting, probability, effects, credits }) => {
    const found = markovRemovalEffects(journeys, nonConverting);
    expect(found.conversionProbability).toBeCloseTo(probability, 12);
    expect(closeRecord(Object.fromEntries(found.removalEffects), effects)).toBe(true);
    expect(closeRecord(creditsOf(markov(journeys, { nonConverting })), credits)).toBe(true);
  });
});

describe('markov without conversions or options', () => {
  it('gives every channel of a chain that never converts an effect and a weight of 0, not NaN', () => {
    const found = markovRemovalEffects([], [path('a>b'), path('b')]);
    expect(found.conversionProbability).toBe(0);
    expect(Object.fromEntries(found.removalEffects)).toEqual({ a: 0, b: 0 });
    expect(Object.fromEntries(markov([], { nonConverting: [path('a>b')] }).channelWeights ?? [])).toEqual({
      a: 0,
      b: 0,
    });
  });

  it('treats omitted non-converting paths and steps as none', () => {
    const journeys = [journey('c1', 'a>b'), journey('c2', 'b')];
    expect(markovRemovalEffects(journeys)).toEqual(markovRemovalEffects(journeys, [], []));
    expect(markov(journeys).channelWeights).toEqual(
      markov(journeys, { nonConverting: [], nonConvertingSteps: [] }).channelWeights,
    );
    expect(Object.fromEntries(markov(journeys).channelWeights ?? [])).toEqual({ a: 1 / 3, b: 2 / 3 });
  });
});

interface MarkovRow {
  readonly name: string;
  readonly journeys: Journey[];
  readonly nonConverting: Touchpoint[][];
  readonly probability: number;
  readonly effects: Record<string, number>;
  readonly credits: Record<string, number>;
}

function withCounts(width: number, cells: Record<number, number>): number[] {
  return Array.from({ length: width }, (_, i) => cells[i] ?? 0);
}
