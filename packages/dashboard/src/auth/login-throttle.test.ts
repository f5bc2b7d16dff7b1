// Login throttling: refuse a client after too many failures inside a window, per client, and forget after it.
import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from './login-throttle.js';

describe('createLoginThrottle', () => {
  it('refuses after maxFailures with the time left, per client, until the window ends or a success', () => {
    let t = 0;
    const throttle = createLoginThrottle({ maxFailures: 3, windowMs: 1000, now: () => t, maxClients: 100 });
    for (let i = 0; i < 3; i++) expect(throttle.attempt('a')).toEqual({ kind: 'allow' });
    t = 400;
    expect(throttle.attempt('a')).toEqual({ kind: 'refuse', retryAfterMs: 600 });
    expect(throttle.attempt('b')).toEqual({ kind: 'allow' });
    t = 1000;
    expect(throttle.attempt('a')).toEqual({ kind: 'allow' });
    throttle.recordSuccess('b');
    throttle.attempt('b');
    throttle.attempt('b');
    expect(throttle.attempt('b')).toEqual({ kind: 'allow' });
    expect(throttle.attempt('b')).toMatchObject({ kind: 'refuse' });
  });

  it('counts an attempt when it is allowed, not when its password has been checked', () => {
    const throttle = createLoginThrottle({ maxFailures: 5, windowMs: 1000, now: () => 0, maxClients: 100 });
    // 60 attempts begun before any check finishes: only 5 may be checked.
    const decisions = Array.from({ length: 60 }, () => throttle.attempt('a').kind);
    expect(decisions.filter((d) => d === 'allow')).toHaveLength(5);
  });

  it('tracks at most maxClients addresses', () => {
    const throttle = createLoginThrottle({ maxFailures: 1, windowMs: 1000, now: () => 0, maxClients: 2 });
    throttle.attempt('a');
    throttle.attempt('b');
    throttle.attempt('c');
    expect(throttle.attempt('a')).toEqual({ kind: 'allow' });
    expect(throttle.attempt('c')).toMatchObject({ kind: 'refuse' });
  });
});
