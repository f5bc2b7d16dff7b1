// Dashboard sessions in the database, on both dialects: random tokens stored only as hashes, expiry, sign-out (one or all), a cap, and a second store (a restart, another collector) that sees the same sessions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '@touchline/storage';
import { storageFactories, type TestStorage } from '../../../storage/src/test-support/storage-factories.js';
import { createSessionStore, tokenHash } from './session-store.js';

const clock = (start: number) => {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
};

describe.each(await storageFactories(process.env, import.meta.url))('$dialect', (factory) => {
  let db: TestStorage;
  let storage: Storage;
  beforeEach(async () => {
    db = await factory.open();
    storage = db.storage;
  });
  afterEach(async () => {
    await db.remove();
  });

  it("finds a session by its token until it expires, never by another token, and stores only the token's hash", async () => {
    const c = clock(1000);
    const store = createSessionStore({ storage, ttlMs: 60_000, now: c.now, maxSessions: 10 });
    const { token, session } = await store.create(null);
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(await store.find(token)).toEqual(session);
    expect(await store.find(`${token}x`)).toBeNull();
    expect(await store.find('')).toBeNull();
    expect(await storage.findDashboardSession(token, c.now())).toBeNull();
    expect(await storage.findDashboardSession(tokenHash(token), c.now())).toMatchObject({
      csrfToken: session.csrfToken,
    });
    c.advance(59_999);
    expect(await store.find(token)).not.toBeNull();
    c.advance(1);
    expect(await store.find(token)).toBeNull();
  });

  it('forgets a signed-out session, gives each session its own CSRF token, and drops the oldest beyond the cap', async () => {
    const c = clock(0);
    const store = createSessionStore({ storage, ttlMs: 60_000, now: c.now, maxSessions: 2 });
    const a = await store.create(null);
    c.advance(1);
    const b = await store.create(null);
    expect(a.session.csrfToken).not.toBe(b.session.csrfToken);
    await store.delete(a.token);
    expect(await store.find(a.token)).toBeNull();
    c.advance(1);
    const d = await store.create(null);
    c.advance(1);
    const e = await store.create(null);
    expect(await store.find(b.token)).toBeNull();
    expect(await store.find(d.token)).not.toBeNull();
    expect(await store.find(e.token)).not.toBeNull();
  });

  it('a second store on the same database (after a restart, or another collector) sees the sessions; signing out everywhere ends them all', async () => {
    const c = clock(5000);
    const first = createSessionStore({ storage, ttlMs: 60_000, now: c.now, maxSessions: 100 });
    const second = createSessionStore({ storage, ttlMs: 60_000, now: c.now, maxSessions: 100 });
    const mine = await first.create(null);
    const theirs = await second.create(null);
    expect(await second.find(mine.token)).toEqual(mine.session);
    expect(await first.find(theirs.token)).toEqual(theirs.session);
    await second.delete(mine.token);
    expect(await first.find(mine.token)).toBeNull();
    const third = await first.create(null);
    expect(await second.deleteAll()).toBe(2);
    expect(await first.find(theirs.token)).toBeNull();
    expect(await first.find(third.token)).toBeNull();
  });
});
