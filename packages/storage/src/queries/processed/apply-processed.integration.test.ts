// applyProcessed: sessions merge across out-of-order batches, replays are harmless, inbox outcomes commit with the data.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, InboxRow, Storage } from '../../storage.js';
import { batch, event, inboxItems, session } from '../../test-support/temp-storage.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';

describe.each(await storageFactories())('$dialect', (factory) => {
  let db: TestStorage;
  let storage: Storage;
  let acc: Account;
  beforeEach(async () => {
    db = await factory.open();
    storage = db.storage;
    acc = await storage.ensureAccount('acme', 1);
  });
  afterEach(async () => {
    await db.remove();
  });

  /** Inbox rows to finish, as a worker pass would have claimed them. */
  async function claimed(prefix: string, count: number): Promise<number[]> {
    await storage.insertInbox(acc.id, inboxItems(prefix, count), 1);
    const rows: InboxRow[] = await storage.claimInbox({ limit: count, leaseMs: 60_000, now: 2 });
    return rows.map((r) => r.seq);
  }

  const landing = {
    landingUrl: 'https://shop.example/?utm_source=news', landingHost: 'shop.example', referrer: 'https://news.example/',
    channel: 'email', utm: { utm_source: 'news' }, clickIds: { gclid: 'g1' },
  };

  describe('applyProcessed sessions', () => {
    it('merges one session arriving in two batches out of order: min start, max last seen, counts added, first landing kept', async () => {
      // The later half of the session is processed first...
      await storage.applyProcessed(batch({
        visitors: [{ accountId: acc.id, id: 'v1', firstSeenAt: 5000, lastSeenAt: 9000 }],
        sessions: [session(acc.id, { id: 's1', visitorId: 'v1', startedAt: 5000, lastSeenAt: 9000, eventCount: 3, pageviewCount: 2 })],
        done: await claimed('late', 3),
      }));
      // ...then the earlier half, which carries the landing.
      await storage.applyProcessed(batch({
        visitors: [{ accountId: acc.id, id: 'v1', firstSeenAt: 1000, lastSeenAt: 4000 }],
        sessions: [session(acc.id, { id: 's1', visitorId: 'v1', startedAt: 1000, lastSeenAt: 4000, eventCount: 2, pageviewCount: 1, ...landing })],
        done: await claimed('early', 2),
      }));
      expect(await storage.sessionsOfVisitor(acc.id, 'v1')).toEqual([{
        id: 's1', visitorId: 'v1', startedAt: 1000, lastSeenAt: 9000, landingUrl: landing.landingUrl, referrer: landing.referrer,
        channel: 'email', utm: { utm_source: 'news' }, clickIds: { gclid: 'g1' }, eventCount: 5,
      }]);
      const visitor = await storage.visitor(acc.id, 'v1');
      expect(visitor).toMatchObject({ id: 'v1', firstSeenAt: 1000, lastSeenAt: 9000 });
    });

    it('never replaces a landing once the session has one', async () => {
      await storage.applyProcessed(batch({ sessions: [session(acc.id, { id: 's1', visitorId: 'v1', ...landing })], done: await claimed('a', 1) }));
      await storage.applyProcessed(batch({
        sessions: [session(acc.id, {
          id: 's1', visitorId: 'v1', startedAt: 500, landingUrl: 'https://shop.example/other', landingHost: 'shop.example',
          referrer: null, channel: 'direct', utm: {}, clickIds: {},
        })],
        done: await claimed('b', 1),
      }));
      const [s] = await storage.sessionsOfVisitor(acc.id, 'v1');
      expect(s).toMatchObject({ startedAt: 500, landingUrl: landing.landingUrl, channel: 'email', utm: { utm_source: 'news' } });
    });
  });

  describe('applyProcessed session keys', () => {
    it('keys a session by its visitor too: one id under two visitors is two sessions, each merging only its own rows', async () => {
      await storage.applyProcessed(batch({
        sessions: [
          session(acc.id, { id: 's1', visitorId: 'v1', startedAt: 1000, lastSeenAt: 2000, eventCount: 1, pageviewCount: 1, ...landing }),
          session(acc.id, { id: 's1', visitorId: 'v2', startedAt: 3000, lastSeenAt: 4000, eventCount: 2, pageviewCount: 1 }),
          session(acc.id, { id: 's1', visitorId: 'v1', startedAt: 1500, lastSeenAt: 2500, eventCount: 4, pageviewCount: 0 }),
        ],
        done: await claimed('k', 3),
      }));
      expect((await storage.sessionsOfVisitor(acc.id, 'v1')).map((x) => [x.id, x.startedAt, x.lastSeenAt, x.eventCount, x.channel]))
        .toEqual([['s1', 1000, 2500, 5, 'email']]);
      expect((await storage.sessionsOfVisitor(acc.id, 'v2')).map((x) => [x.id, x.startedAt, x.lastSeenAt, x.eventCount, x.channel]))
        .toEqual([['s1', 3000, 4000, 2, null]]);
    });
  });

  describe('applyProcessed replays', () => {
    it('writes nothing twice when the same pass is applied again (a stale worker after its lease expired)', async () => {
      const pass = batch({
        visitors: [{ accountId: acc.id, id: 'v1', firstSeenAt: 1000, lastSeenAt: 2000 }],
        sessions: [session(acc.id, { id: 's1', visitorId: 'v1', startedAt: 1000, lastSeenAt: 2000, eventCount: 2, pageviewCount: 2 })],
        events: [event(acc.id, { id: 'e1', visitorId: 'v1', sessionId: 's1', timestamp: 1000 }), event(acc.id, { id: 'e2', visitorId: 'v1', sessionId: 's1', timestamp: 2000 })],
        conversions: [{ accountId: acc.id, id: 'c1', name: 'buy', visitorId: 'v1', sessionId: 's1', timestamp: 2000, revenue: 10, currency: 'EUR', properties: '{}' }],
        identities: [{ accountId: acc.id, userId: 'u1', visitorId: 'v1', timestamp: 1500, traits: '{}' }],
        done: await claimed('x', 2),
      });
      await storage.applyProcessed(pass);
      await storage.applyProcessed(pass);
      expect(await storage.stats(acc.id, 0, 10_000)).toEqual({ visitors: 1, sessions: 1, events: 2, conversions: 1, revenue: 10 });
      const visitor = await storage.visitor(acc.id, 'v1');
      expect(visitor?.sessions.map((s) => s.eventCount)).toEqual([2]);
      expect(visitor?.events.map((e) => e.id)).toEqual(['e1', 'e2']);
      expect(visitor?.userIds).toEqual(['u1']);
    });

    it('skips events, conversions and identities already stored when they come again in a new pass', async () => {
      const items = batch({
        events: [event(acc.id, { id: 'e1', visitorId: 'v1', timestamp: 1000 })],
        conversions: [{ accountId: acc.id, id: 'c1', name: 'buy', visitorId: 'v1', sessionId: null, timestamp: 1000, revenue: 5, currency: 'EUR', properties: '{}' }],
        identities: [{ accountId: acc.id, userId: 'u1', visitorId: 'v1', timestamp: 1000, traits: '{}' }],
        visitors: [{ accountId: acc.id, id: 'v1', firstSeenAt: 1000, lastSeenAt: 1000 }],
      });
      await storage.applyProcessed({ ...items, done: await claimed('first', 1) });
      await storage.applyProcessed({ ...items, done: await claimed('second', 1) });
      expect(await storage.stats(acc.id, 0, 10_000)).toMatchObject({ events: 1, conversions: 1, revenue: 5 });
      expect((await storage.visitor(acc.id, 'v1'))?.userIds).toEqual(['u1']);
    });
  });

  describe('applyProcessed inbox outcomes', () => {
    it('marks done and dead rows and keeps a finished row finished', async () => {
      const [done, dead] = await claimed('x', 3);
      await storage.applyProcessed(batch({ done: [done!], dead: [{ seq: dead!, error: 'payload is not valid JSON' }] }));
      expect(await storage.inboxHealth()).toMatchObject({ pending: 1, dead: 1 });
      // A late "dead" verdict for a row already done does not overturn it.
      await storage.applyProcessed(batch({ dead: [{ seq: done!, error: 'late' }] }));
      expect(await storage.inboxHealth()).toMatchObject({ pending: 1, dead: 1 });
    });

    it('commits nothing, inbox outcome included, when any write of the pass fails', async () => {
      const seqs = await claimed('x', 2);
      const broken = batch({
        events: [event(acc.id, { id: 'e1', visitorId: 'v1' }), event(acc.id, { id: 'e2', visitorId: null as unknown as string })],
        done: seqs,
      });
      await expect(storage.applyProcessed(broken)).rejects.toMatchObject({ code: 'query_failed', message: expect.stringContaining('applyProcessed') });
      expect(await storage.inboxHealth()).toMatchObject({ pending: 2, dead: 0 });
      expect(await storage.stats(acc.id, 0, 10_000)).toMatchObject({ events: 0 });
    });
  });
});
