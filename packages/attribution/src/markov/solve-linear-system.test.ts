// Gaussian elimination against systems solved by hand, including one that needs a row swap.
import { describe, expect, it } from 'vitest';
import { solveLinearSystem } from './solve-linear-system.js';

describe('solveLinearSystem', () => {
  it.each([
    { name: 'identity', a: [1, 0, 0, 1], b: [3, 4], x: [3, 4] },
    // 2x + y = 5, x + 3y = 10 -> x = 1, y = 3.
    { name: '2x2', a: [2, 1, 1, 3], b: [5, 10], x: [1, 3] },
    // Zero first pivot forces a swap: y = 2, x + y = 5 -> x = 3.
    { name: 'needs pivoting', a: [0, 1, 1, 1], b: [2, 5], x: [3, 2] },
    // x + y + z = 6, 2y + 5z = -4, 2x + 5y - z = 27 -> (5, 3, -2).
    { name: '3x3', a: [1, 1, 1, 0, 2, 5, 2, 5, -1], b: [6, -4, 27], x: [5, 3, -2] },
  ])('$name', ({ a, b, x }) => {
    const solved = solveLinearSystem(Float64Array.from(a), Float64Array.from(b), b.length);
    x.forEach((value, i) => expect(solved[i]).toBeCloseTo(value, 12));
  });

  it('rejects a singular matrix, naming the column', () => {
    expect(() => solveLinearSystem(Float64Array.from([1, 2, 2, 4]), Float64Array.from([1, 2]), 2)).toThrow(
      new RangeError('solveLinearSystem: singular matrix at column 1'),
    );
  });

  it('accepts a pivot as small as 1e-300', () => {
    expect([...solveLinearSystem(Float64Array.from([1e-300]), Float64Array.from([1e-300]), 1)]).toEqual([1]);
  });

  it('pivots on the largest entry, not merely a non-zero one', () => {
    // x + y = 2, 1e-20 x + y = 1 -> x = y = 1 (to rounding). Pivoting on 1e-20 would give x = 0.
    const solved = solveLinearSystem(Float64Array.from([1, 1, 1e-20, 1]), Float64Array.from([2, 1]), 2);
    expect(solved[0]).toBeCloseTo(1, 12);
    expect(solved[1]).toBeCloseTo(1, 12);
    // Again after the pivot moved down a row: rows 1e-20, 1, 1e-20 in column 0 must pivot on the 1.
    const three = solveLinearSystem(
      Float64Array.from([1e-20, 1, 0, 1, 1, 0, 1e-20, 0, 1]),
      Float64Array.from([1, 2, 1]),
      3,
    );
    [1, 1, 1].forEach((value, i) => expect(three[i]).toBeCloseTo(value, 12));
  });
});
