// Retry-After parsing: delay-seconds, HTTP dates, and everything else ignored.
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.js';

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);

describe('parseRetryAfter', () => {
  it.each<[string, string | null | undefined, number | null]>([
    ['absent', null, null],
    ['undefined', undefined, null],
    ['empty', '  ', null],
    ['whole seconds', '120', 120_000],
    ['zero', '0', 0],
    ['padded', ' 3 ', 3000],
    ['fractional seconds (lenient)', '1.5', 1500],
    ['negative number', '-5', null],
    ['IMF-fixdate in the future', new Date(NOW + 90_000).toUTCString(), 90_000],
    ['IMF-fixdate in the past', new Date(NOW - 90_000).toUTCString(), 0],
    ['garbage', 'later please', null],
    ['bare number with junk', '12abc', null],
  ])('%s', (_name, value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});
