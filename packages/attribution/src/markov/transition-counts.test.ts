// countTransitions: channel ids in code-unit order, empty journeys as [direct], and what steps may hold.
import { describe, expect, it } from 'vitest';
import { ChannelIndex } from '../channel-index.js';
import { journey, path } from '../test-support/journeys.js';
import { conversionProbability } from './conversion-probability.js';
import { countTransitions } from './transition-counts.js';

/** counts as { 'from>to': n }, with start, conv and null named. */
function cells(chain: ReturnType<typeof countTransitions>, index: ChannelIndex): Record<string, number> {
  const { channelCount: k, width, counts } = chain;
  const name = (i: number) => (i < k ? index.nameOf(i) : ['start', 'conv', 'null'][i - k]);
  const out: Record<string, number> = {};
  counts.forEach((n, cell) => {
    if (n !== 0) out[`${name(Math.floor(cell / width))}>${name(cell % width)}`] = n;
  });
  return out;
}

describe('countTransitions', () => {
  it('numbers channels in code-unit order of their names, whatever order they arrive in', () => {
    const index = new ChannelIndex();
    countTransitions([journey('1', 'd>c'), journey('2', 'b>a>B')], [path('e>_')], index);
    expect(index.names).toEqual(['B', '_', 'a', 'b', 'c', 'd', 'e']);
  });

  it('counts every empty journey as start -> direct -> conversion', () => {
    const index = new ChannelIndex();
    const chain = countTransitions([journey('1', ''), journey('2', ''), journey('3', 'a')], [], index);
    expect(cells(chain, index)).toEqual({ 'start>a': 1, 'start>direct': 2, 'a>conv': 1, 'direct>conv': 2 });
  });

  it('takes steps with a count of 0 and skips steps from start straight to the end', () => {
    const index = new ChannelIndex();
    const chain = countTransitions([journey('1', 'a')], [], index, [
      { from: null, to: 'a', count: 0 },
      { from: null, to: null, count: 5 },
      { from: null, to: 'a', count: 2 },
      { from: 'a', to: null, count: 2 },
    ]);
    expect(cells(chain, index)).toEqual({ 'start>a': 3, 'a>conv': 1, 'a>null': 2 });
    // Every channel a step names is a state, even when its steps count nothing.
    const named = countTransitions([journey('1', 'a')], [], new ChannelIndex(), [
      { from: null, to: 'z', count: 0 },
      { from: 'y', to: null, count: 0 },
    ]);
    expect(named.channelCount).toBe(3);
    expect(() => countTransitions([], [], new ChannelIndex(), [{ from: 'a', to: null, count: -1 }])).toThrow(
      new RangeError("countTransitions: a step's count must be a non-negative integer, got -1"),
    );
  });
});

describe('conversionProbability on degenerate chains', () => {
  it('gives 0, not NaN, for a chain nothing starts in', () => {
    const chain = countTransitions([], [], new ChannelIndex(), [{ from: 'a', to: null, count: 1 }]);
    expect(conversionProbability(chain, -1)).toBe(0);
  });

  it('treats a channel named only by count-0 steps as a dead end', () => {
    const chain = countTransitions([journey('1', 'a')], [], new ChannelIndex(), [{ from: null, to: 'z', count: 0 }]);
    expect(conversionProbability(chain, -1)).toBe(1);
    expect(conversionProbability(chain, 1)).toBe(1);
  });
});
