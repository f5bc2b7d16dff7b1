// Checks isoTimestamp against Date#toISOString over its whole range and at its edges.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTimestamp } from './iso-timestamp.js';

describe('isoTimestamp', () => {
  it('equals toISOString for any millisecond from 1970 to year 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799999 }), (ms) => {
        expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it('equals toISOString at calendar edges: leap days, century years, month and year ends', () => {
    const edges = [
      '1970-01-01T00:00:00.000Z',
      '1972-02-29T23:59:59.999Z',
      '2000-02-29T12:00:00.000Z',
      '2100-03-01T00:00:00.000Z',
      '2026-12-31T23:59:59.999Z',
      '2027-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ];
    for (const iso of edges) {
      const ms = Date.parse(iso);
      for (const delta of [-1, 0, 1])
        if (ms + delta >= 0) expect(isoTimestamp(ms + delta)).toBe(new Date(ms + delta).toISOString());
    }
  });

  it('truncates fractions and hands other values to Date', () => {
    expect(isoTimestamp(1_700_000_000_123.9)).toBe(new Date(1_700_000_000_123.9).toISOString());
    expect(isoTimestamp(-1)).toBe('1969-12-31T23:59:59.999Z');
    expect(isoTimestamp(253402300800000)).toBe('+010000-01-01T00:00:00.000Z');
    expect(() => isoTimestamp(Number.NaN)).toThrow(RangeError);
  });
});
