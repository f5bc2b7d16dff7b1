// aggregateChannelSets: one entry per distinct channel SET, counted, including paths past its 64-slot scratch.
import { describe, expect, it } from 'vitest';
import { ChannelIndex } from '../channel-index.js';
import { journey } from '../test-support/journeys.js';
import { aggregateChannelSets } from './channel-sets.js';

const plain = (sets: readonly Int32Array[]) => sets.map((set) => [...set]);
const channels = (count: number, from = 0) => Array.from({ length: count }, (_, i) => `c${from + i}`);

describe('aggregateChannelSets', () => {
  it('counts the same set reached in any order and with repeats once, with its conversions', () => {
    const index = new ChannelIndex();
    const sets = aggregateChannelSets(
      [journey('1', 'A>B'), journey('2', 'B>A>B'), journey('3', 'B'), journey('4', '')],
      index,
    );
    expect(index.names).toEqual(['A', 'B', 'direct']);
    expect(plain(sets.sets)).toEqual([[0, 1], [1], [2]]);
    expect([...sets.conversions]).toEqual([2, 1, 1]);
    expect(sets.channelCount).toBe(3);
  });

  it('keeps every channel of a path with more than 64 distinct channels', () => {
    const names = channels(70);
    const sets = aggregateChannelSets([journey('long', names.join('>'))], new ChannelIndex());
    expect(plain(sets.sets)).toEqual([names.map((_, i) => i)]);
  });

  it('still de-duplicates channel ids at and beyond 64', () => {
    // Ids 0..64, then id 64 again and id 3 again: the set is 0..64, once each.
    const names = [...channels(65), 'c64', 'c3'];
    const sets = aggregateChannelSets([journey('long', names.join('>'))], new ChannelIndex());
    expect(plain(sets.sets)).toEqual([channels(65).map((_, i) => i)]);
  });

  it('de-duplicates ids far beyond the first growth when the index is pre-filled', () => {
    const index = new ChannelIndex();
    for (const name of channels(300)) index.idOf(name);
    const sets = aggregateChannelSets([journey('far', 'c299>c200>c299>c200')], index);
    expect(plain(sets.sets)).toEqual([[200, 299]]);
    expect(sets.channelCount).toBe(300);
  });
});
