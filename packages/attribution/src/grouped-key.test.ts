// Tests grouped keys: a (channel, group) pair survives the round trip, a null group stays null, a plain channel has none.
import { describe, expect, it } from 'vitest';
import { channelOfKey, groupedKey, splitGroupedKey } from './grouped-key.js';
import { lastNonDirect } from './models/last-non-direct.js';

describe('grouped keys', () => {
  it('round-trips channel and group, including a group holding the separator itself', () => {
    for (const [channel, group] of [
      ['email', 'spring'],
      ['direct', null],
      ['paid_search', 'a\u001fb'],
      ['referral', ''],
    ] as const) {
      const key = groupedKey(channel, group);
      expect(splitGroupedKey(key)).toEqual({ channel, group: group === '' ? null : group });
      expect(channelOfKey(key)).toBe(channel);
    }
    expect(splitGroupedKey('email')).toEqual({ channel: 'email', group: null });
  });

  it('lets last non-direct skip a direct touch whatever its group', () => {
    const touch = (channel: string, group: string | null, timestamp: number) => ({
      channel: groupedKey(channel, group),
      timestamp,
    });
    const result = lastNonDirect([
      {
        conversionId: 'c',
        revenue: 10,
        convertedAt: 9,
        touchpoints: [touch('email', 'spring', 1), touch('direct', 'x', 2)],
      },
    ]);
    expect(result.channels.map((c) => c.channel)).toEqual([groupedKey('email', 'spring')]);
  });
});
