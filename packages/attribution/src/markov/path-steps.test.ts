// Markov over counted steps: any split of the same non-converting paths into whole paths and steps, in any order, gives exactly the same answer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChannelIndex } from '../channel-index.js';
import type { Journey, Touchpoint } from '../journey.js';
import { markov } from '../models/markov.js';
import { journey, path } from '../test-support/journeys.js';
import type { PathStep } from './path-step.js';
import { countTransitions } from './transition-counts.js';

/** What the database counts: each path's steps from its start to its end, equal steps summed. */
function stepsOf(paths: readonly (readonly Touchpoint[])[]): PathStep[] {
  const counts = new Map<string, PathStep>();
  const add = (from: string | null, to: string | null): void => {
    const key = JSON.stringify([from, to]);
    const known = counts.get(key);
    counts.set(key, { from, to, count: (known?.count ?? 0) + 1 });
  };
  for (const p of paths) {
    if (p.length === 0) continue;
    let from: string | null = null;
    for (const touch of p) {
      add(from, touch.channel);
      from = touch.channel;
    }
    add(from, null);
  }
  return [...counts.values()];
}

const channelArb = fc.constantFrom('search', 'social', 'email', 'direct', 'referral', 'Zeta', 'é');
const pathArb = fc
  .array(channelArb, { maxLength: 8 })
  .map((cs): Touchpoint[] => cs.map((channel, i) => ({ channel, timestamp: i })));
const journeysArb = fc
  .array(fc.tuple(pathArb, fc.integer({ min: 0, max: 10_000 })), { minLength: 1, maxLength: 20 })
  .map((raw): Journey[] =>
    raw.map(([touchpoints, cents], i) => ({
      conversionId: `c${i}`,
      revenue: cents / 100,
      convertedAt: 100,
      touchpoints,
    })),
  );

describe('markov over counted steps', () => {
  it('equals markov over the whole paths exactly, however they are split and ordered', () => {
    fc.assert(
      fc.property(journeysArb, fc.array(pathArb, { maxLength: 40 }), fc.nat(), (journeys, paths, cut) => {
        const whole = markov(journeys, { nonConverting: paths });
        const at = paths.length === 0 ? 0 : cut % (paths.length + 1);
        const split = markov(journeys, {
          nonConverting: [...paths.slice(0, at)].reverse(),
          nonConvertingSteps: stepsOf(paths.slice(at)).reverse(),
        });
        expect(split).toEqual(whole);
        expect([...(split.channelWeights ?? new Map()).entries()]).toEqual([
          ...(whole.channelWeights ?? new Map()).entries(),
        ]);
      }),
    );
  });

  it('counts a step count times, start and end included', () => {
    const index = new ChannelIndex();
    const chain = countTransitions([journey('c1', 'b')], [], index, [
      { from: null, to: 'a', count: 3 },
      { from: 'a', to: 'b', count: 2 },
      { from: 'a', to: null, count: 1 },
      { from: 'b', to: null, count: 2 },
    ]);
    const [a, b, start] = [index.idOf('a'), index.idOf('b'), 2];
    const row = (r: number): number[] => Array.from(chain.counts.subarray(r * chain.width, (r + 1) * chain.width));
    expect([a, b]).toEqual([0, 1]);
    expect(row(start)).toEqual([3, 1, 0, 0, 0]);
    expect(row(a)).toEqual([0, 2, 0, 0, 1]);
    // Columns: a, b, start, conversion, null.
    expect(row(b)).toEqual([0, 0, 0, 1, 2]);
  });

  it('rejects a count that is not a non-negative integer, and an index already in use', () => {
    expect(() => countTransitions([], [], new ChannelIndex(), [{ from: null, to: 'a', count: 1.5 }])).toThrow(
      /non-negative integer, got 1.5/,
    );
    expect(() => countTransitions([], [], new ChannelIndex(), [{ from: null, to: 'a', count: -1 }])).toThrow(/got -1/);
    const used = new ChannelIndex();
    used.idOf('x');
    expect(() => countTransitions([], [path('a')], used)).toThrow(/must be empty/);
  });
});
