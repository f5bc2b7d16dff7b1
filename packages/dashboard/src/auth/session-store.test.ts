// Dashboard sessions: random tokens, server-side expiry, sign-out, and a bound on how many are kept.
import { describe, expect, it } from 'vitest';
import { createSessionStore } from './session-store.js';

const clock = (start: number) => {
  let t = start;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
};

describe('createSessionStore', () => {
  it('finds a session by its token until it expires, and never by another token', () => {
    const c = clock(1000);
    const store = createSessionStore({ ttlMs: 60_000, now: c.now, maxSessions: 10 });
    const { token, session } = store.create();
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(store.find(token)).toEqual(session);
    expect(store.find(`${token}x`)).toBeNull();
    expect(store.find('')).toBeNull();
    c.advance(59_999);
    expect(store.find(token)).not.toBeNull();
    c.advance(1);
    expect(store.find(token)).toBeNull();
  });

  it('forgets a deleted session, gives each session its own CSRF token, and drops the oldest beyond the cap', () => {
    const c = clock(0);
    const store = createSessionStore({ ttlMs: 60_000, now: c.now, maxSessions: 2 });
    const a = store.create();
    const b = store.create();
    expect(a.session.csrfToken).not.toBe(b.session.csrfToken);
    store.delete(a.token);
    expect(store.find(a.token)).toBeNull();
    const d = store.create();
    const e = store.create();
    expect(store.size).toBe(2);
    expect(store.find(b.token)).toBeNull();
    expect(store.find(d.token)).not.toBeNull();
    expect(store.find(e.token)).not.toBeNull();
  });
});
