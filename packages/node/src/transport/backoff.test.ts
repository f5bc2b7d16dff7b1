// Full-jitter backoff: the window doubles per attempt, is capped, and never overflows.
import { describe, expect, it } from 'vitest';
import { backoffCeiling, fullJitter } from './backoff.js';

describe('backoffCeiling', () => {
  it.each([
    [0, 100],
    [1, 200],
    [2, 400],
    [3, 800],
    [4, 1000],
    [60, 1000],
    [1e9, 1000],
    [-1, 100],
  ])('attempt %d -> %d ms', (attempt, expected) => {
    expect(backoffCeiling(attempt, 100, 1000)).toBe(expected);
  });
});

describe('fullJitter', () => {
  it.each([
    [0, 0],
    [0.5, 200],
    [0.9999999, 400],
  ])('random %d on attempt 2 -> %d ms', (r, expected) => {
    expect(fullJitter(2, 100, 1000, () => r)).toBe(expected);
  });

  it('clamps a misbehaving random source into the window', () => {
    expect(fullJitter(2, 100, 1000, () => 7)).toBe(400);
    expect(fullJitter(2, 100, 1000, () => -3)).toBe(0);
  });
});
