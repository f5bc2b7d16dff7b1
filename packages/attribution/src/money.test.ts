import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromMicros, MicroTotals, splitMicros, toMicros } from './money.js';

describe('exact money', () => {
  it('adds 0.1 three times to 0.3, where floats give 0.30000000000000004', () => {
    const totals = new MicroTotals();
    for (let i = 0; i < 3; i++) totals.add(0, toMicros(0.1));
    expect(totals.amount(0)).toBe(0.3);
    expect(0.1 + 0.1 + 0.1).not.toBe(0.3);
  });

  it('splits an amount into integer micro-units that add up to it exactly, closest to each share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e15, max: 1e15 }),
        fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }),
        (micros, weights) => {
          const sum = weights.reduce((a, b) => a + b, 0);
          const shares = Float64Array.from(weights, (w) => w / sum);
          const out = new Float64Array(shares.length);
          splitMicros(micros, shares, 0, shares.length, out);
          expect(out.reduce((a, b) => a + b, 0)).toBe(micros);
          for (let i = 0; i < shares.length; i++) {
            expect(Number.isInteger(out[i])).toBe(true);
            expect(Math.abs((out[i] ?? 0) - (shares[i] ?? 0) * micros)).toBeLessThan(2 + Math.abs(micros) * 1e-12);
          }
        },
      ),
    );
  });

  it('keeps totals exact past 2^53 micro-units (9 billion units), and prints them as their decimal', () => {
    const totals = new MicroTotals();
    for (let i = 0; i < 20_000; i++) totals.add(3, toMicros(999_999_999.99));
    expect(totals.amount(3)).toBe(19_999_999_999_800);
    expect(fromMicros(2_948_248_750_000n)).toBe(2948248.75);
    expect(String(fromMicros(-12_345n))).toBe('-0.012345');
  });
});
