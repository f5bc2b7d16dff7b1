// classicShapley refuses games too large for its 2^k table instead of allocating one.
import { describe, expect, it } from 'vitest';
import { classicShapley, MAX_EXACT_CHANNELS } from './classic-shapley.js';

describe('classicShapley', () => {
  it('refuses more than MAX_EXACT_CHANNELS channels, naming both counts', () => {
    const sets = { channelCount: MAX_EXACT_CHANNELS + 1, sets: [Int32Array.of(0)], conversions: Float64Array.of(1) };
    expect(() => classicShapley(sets)).toThrow(
      new RangeError('classicShapley: 25 channels exceeds the exact limit of 24'),
    );
  });
});
