// Tests exactly(): toMatchObject with it fails on extra keys that a plain nested object would let through.
import { describe, expect, it } from 'vitest';
import { exactly } from './exactly.js';

describe('exactly', () => {
  it('matches only a deeply equal value inside toMatchObject', () => {
    const stats = { delivered: 3, dropped: { queue_full: 2 } };
    const subset = { dropped: {} };
    expect(stats).toMatchObject(subset);
    expect(() => expect(stats).toMatchObject({ dropped: exactly({}) })).toThrow();
    expect(() => expect(stats).toMatchObject({ dropped: exactly({ queue_full: 2, closed: 1 }) })).toThrow();
    expect(stats).toMatchObject({ delivered: 3, dropped: exactly({ queue_full: 2 }) });
  });
});
