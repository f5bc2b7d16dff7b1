// Token buckets: burst then refill at the rate, per key, with a bounded table that forgets idle buckets first.
import { describe, expect, it } from 'vitest';
import { allowed, createTokenBuckets, limited } from './token-buckets.js';

function clock(start = 1_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('createTokenBuckets', () => {
  it('allows a burst, then refuses with the wait until the next token, then refills at the rate', () => {
    const c = clock();
    const b = createTokenBuckets({ ratePerSecond: 2, burst: 3 }, { now: c.now, maxEntries: 10 });
    expect([b.take('k'), b.take('k'), b.take('k')]).toEqual([allowed(2), allowed(1), allowed(0)]);
    expect(b.take('k')).toEqual(limited(500));
    c.t += 200;
    expect(b.take('k')).toEqual(limited(300)); // a refused take costs nothing
    c.t += 300;
    expect(b.take('k')).toEqual(allowed(0));
    c.t += 60_000;
    expect(b.take('k')).toEqual(allowed(2)); // never above the burst
  });

  it('keeps one bucket per key: one noisy key does not limit another', () => {
    const c = clock();
    const b = createTokenBuckets({ ratePerSecond: 1, burst: 1 }, { now: c.now, maxEntries: 10 });
    expect(b.take('noisy').kind).toBe('allowed');
    expect(b.take('noisy').kind).toBe('limited');
    expect(b.take('quiet').kind).toBe('allowed');
  });

  it('never tracks more than maxEntries; refilled buckets are forgotten before busy ones', () => {
    const c = clock();
    const b = createTokenBuckets({ ratePerSecond: 1, burst: 2 }, { now: c.now, maxEntries: 100 });
    b.take('busy');
    b.take('busy');
    for (let i = 0; i < 99; i++) b.take(`idle-${i}`);
    expect(b.size).toBe(100);
    c.t += 1_500; // idle buckets are full again; 'busy' has 1.5 of 2 tokens
    b.take('newcomer');
    expect(b.size).toBeLessThanOrEqual(100);
    expect(b.take('busy')).toEqual(allowed(0)); // remembered: 1.5 tokens left, not a fresh 2
    for (let i = 0; i < 1000; i++) b.take(`flood-${i}`);
    expect(b.size).toBeLessThanOrEqual(100);
  });
});
