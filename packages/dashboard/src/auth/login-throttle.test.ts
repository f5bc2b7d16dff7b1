// Login throttling: refuse a client after too many failures inside a window, per client, and forget after it.
import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from './login-throttle.js';

describe('createLoginThrottle', () => {
  it('refuses after maxFailures with the time left, per client, until the window ends or a success', () => {
    let t = 0;
    const throttle = createLoginThrottle({ maxFailures: 3, windowMs: 1000, now: () => t, maxClients: 100 });
    for (let i = 0; i < 3; i++) {
      expect(throttle.check('a')).toEqual({ kind: 'allow' });
      throttle.recordFailure('a');
    }
    t = 400;
    expect(throttle.check('a')).toEqual({ kind: 'refuse', retryAfterMs: 600 });
    expect(throttle.check('b')).toEqual({ kind: 'allow' });
    t = 1000;
    expect(throttle.check('a')).toEqual({ kind: 'allow' });
    throttle.recordFailure('b');
    throttle.recordSuccess('b');
    throttle.recordFailure('b');
    throttle.recordFailure('b');
    expect(throttle.check('b')).toEqual({ kind: 'allow' });
  });

  it('tracks at most maxClients addresses', () => {
    const throttle = createLoginThrottle({ maxFailures: 1, windowMs: 1000, now: () => 0, maxClients: 2 });
    throttle.recordFailure('a');
    throttle.recordFailure('b');
    throttle.recordFailure('c');
    expect(throttle.check('a')).toEqual({ kind: 'allow' });
    expect(throttle.check('c')).toMatchObject({ kind: 'refuse' });
  });
});
