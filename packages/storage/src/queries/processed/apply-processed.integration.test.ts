// applyProcessed: sessions merge across out-of-order batches, replays are harmless, inbox outcomes commit with the data.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, InboxRow, Storage } from '../../storage.js';
import { batch, event, inboxItems, session } from '../../test-support/temp-storage.js';
import { rawExec, rawRows } from '../../test-support/raw-sql.js';
import { applied, partial, stale } from './apply-outcome.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';

describe.each(await storageFactories(process.env, import.meta.url))('$dialect', (factory) => {
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
    landingUrl: 'https://shop.example/?utm_source=news',
    landingHost: 'shop.example',
    referrer: 'https://news.example/',
    channel: 'email',
    utm: { utm_source: 'news' },
    clickIds: { gclid: 'g1' },
  };

  describe('applyProcessed sessions', () => {
    it('merges one session arriving in two batches out of order: min start, max last seen, counts added, the landing kept', async () => {
      // The later half of the session is processed first...
      await storage.applyProcessed(
        batch({
          visitors: [{ accountId: acc.id, id: 'v1', firstSeenAt: 5000, lastSeenAt: 9000 }],
          sessions: [
            session(acc.id, {
              id: 's1',
              visitorId: 'v1',
              startedAt: 5000,
              lastSeenAt: 9000,
              eventCount: 3,
              pageviewCount: 2,
            }),
          ],
          done: await claimed('late', 3),
        }),
      );
      // ...then the earlier half, which carries the landing.
      await storage.applyProcessed(
        batch({
          visitors: [{ accountId: acc.id, id: 'v1', firstSeenAt: 1000, lastSeenAt: 4000 }],
          sessions: [
            session(acc.id, {
              id: 's1',
              visitorId: 'v1',
              startedAt: 1000,
              lastSeenAt: 4000,
              eventCount: 2,
              pageviewCount: 1,
              ...landing,
            }),
          ],
          done: await claimed('early', 2),
        }),
      );
      expect(await storage.sessionsOfVisitor(acc.id, 'v1')).toEqual([
        {
          id: 's1',
          visitorId: 'v1',
          startedAt: 1000,
          lastSeenAt: 9000,
          landingUrl: landing.landingUrl,
          referrer: landing.referrer,
          channel: 'email',
          utm: { utm_source: 'news' },
          clickIds: { gclid: 'g1' },
          eventCount: 5,
        },
      ]);
      const visitor = await storage.visitor(acc.id, 'v1');
      expect(visitor).toMatchObject({ id: 'v1', firstSeenAt: 1000, lastSeenAt: 9000 });
    });

    /** The stored landing of s1/v1 after applying `order` of the candidates, one pass each. */
    async function landingAfter(
      candidates: Array<Parameters<typeof session>[1]>,
      prefix: string,
    ): Promise<string | null | undefined> {
      for (const [i, fields] of candidates.entries()) {
        await storage.applyProcessed(
          batch({ sessions: [session(acc.id, fields)], done: await claimed(`${prefix}${i}`, 1) }),
        );
      }
      return (await storage.sessionsOfVisitor(acc.id, 'v1'))[0]?.landingUrl;
    }

    it('keeps the best landing candidate whatever the order: higher rank, then earlier, then smaller item id', async () => {
      const at = (url: string, rank: number, landingAt: number, landingItemId: string) => ({
        id: 's1',
        visitorId: 'v1',
        landingUrl: url,
        channel: url,
        landingRank: rank,
        landingAt,
        landingItemId,
        startedAt: landingAt,
      });
      const best = at('best', 3, 2000, 'b');
      const others = [
        at('no-start', 1, 1000, 'a'),
        at('later', 3, 3000, 'a'),
        at('bigger-id', 3, 2000, 'c'),
        at('event', 2, 500, 'a'),
      ];
      // Every rotation of the arrival order ends with the same landing (a fresh visitor per order).
      const all = [best, ...others];
      for (let shift = 0; shift < all.length; shift++) {
        const order = [...all.slice(shift), ...all.slice(0, shift)].map((f) => ({ ...f, visitorId: `v${shift}` }));
        for (const [i, fields] of order.entries()) {
          await storage.applyProcessed(
            batch({ sessions: [session(acc.id, fields)], done: await claimed(`r${shift}-${i}`, 1) }),
          );
        }
        expect((await storage.sessionsOfVisitor(acc.id, `v${shift}`))[0]).toMatchObject({
          landingUrl: 'best',
          channel: 'best',
          startedAt: 500,
        });
      }
    });

    it('lets a later candidate replace a worse one stored first: the second pageview before the landing (L12)', async () => {
      const second = {
        id: 's1',
        visitorId: 'v1',
        landingUrl: 'https://shop.example/cart',
        referrer: 'https://shop.example/shoes',
        channel: 'direct',
        landingRank: 1,
        landingAt: 2000,
      };
      const first = { id: 's1', visitorId: 'v1', ...landing, landingRank: 3, landingAt: 1000 };
      expect(await landingAfter([second, first], 'l')).toBe(landing.landingUrl);
      const [s] = await storage.sessionsOfVisitor(acc.id, 'v1');
      expect(s).toMatchObject({
        referrer: landing.referrer,
        channel: 'email',
        utm: { utm_source: 'news' },
        clickIds: { gclid: 'g1' },
      });
    });

    it('takes a first candidate for a session stored without any, and keeps a landing stored before ranks existed', async () => {
      expect(
        await landingAfter(
          [
            { id: 's1', visitorId: 'v1' },
            { id: 's1', visitorId: 'v1', landingUrl: 'late', landingRank: 0 },
          ],
          'n',
        ),
      ).toBe('late');
      // A landing written before migration 006 has no rank: live merges keep it (repair-sessions re-ranks it).
      await storage.applyProcessed(
        batch({
          sessions: [session(acc.id, { id: 's2', visitorId: 'v2', landingUrl: 'legacy' })],
          done: await claimed('g', 1),
        }),
      );
      await rawExec(
        db,
        "UPDATE sessions SET landing_rank = NULL, landing_at = NULL, landing_item = NULL WHERE id = 's2'",
      );
      await storage.applyProcessed(
        batch({
          sessions: [session(acc.id, { id: 's2', visitorId: 'v2', landingUrl: 'new', landingRank: 3, landingAt: 1 })],
          done: await claimed('h', 1),
        }),
      );
      expect((await storage.sessionsOfVisitor(acc.id, 'v2'))[0]?.landingUrl).toBe('legacy');
    });
  });

  describe('applyProcessed identities', () => {
    it('keeps when a pair was first seen and the traits of its latest identify, whatever the order', async () => {
      const link = (timestamp: number, traits: string) => ({
        accountId: acc.id,
        userId: 'u1',
        visitorId: 'v1',
        timestamp,
        traits,
        traitsAt: timestamp,
      });
      const orders = [
        [link(300, '{"plan":"pro"}'), link(100, '{}'), link(300, '{"plan":"free"}')],
        [link(300, '{"plan":"free"}'), link(100, '{}'), link(300, '{"plan":"pro"}')],
      ];
      for (const [n, order] of orders.entries()) {
        const pass = order.map((i) => ({ ...i, userId: `u${n}` }));
        for (const [i, identity] of pass.entries())
          await storage.applyProcessed(batch({ identities: [identity], done: await claimed(`i${n}-${i}`, 1) }));
        // One pass holding them all merges the same way.
        await storage.applyProcessed(
          batch({ identities: pass.map((i) => ({ ...i, visitorId: 'v9' })), done: await claimed(`j${n}`, 1) }),
        );
      }
      const rows = await rawRows(
        db,
        'SELECT user_id, visitor_id, occurred_at, traits, traits_at FROM identities ORDER BY user_id, visitor_id',
      );
      expect(rows).toEqual(
        ['u0', 'u1'].flatMap((u) =>
          ['v1', 'v9'].map((v) => ({
            user_id: u,
            visitor_id: v,
            occurred_at: 100,
            traits: '{"plan":"pro"}',
            traits_at: 300,
          })),
        ),
      );
    });
  });

  describe('applyProcessed against another worker', () => {
    it('writes nothing and names the rows still pending when another worker finished some of the pass', async () => {
      const seqs = await claimed('p', 3);
      const pass = (done: number[], count: number) =>
        batch({
          sessions: [session(acc.id, { id: 's1', visitorId: 'v1', eventCount: count, pageviewCount: count })],
          done,
        });
      // Another worker (our lease ran out) finished the first row alone.
      expect(await storage.applyProcessed(pass([seqs[0]!], 1))).toEqual(applied());
      expect(await storage.applyProcessed(pass(seqs, 3))).toEqual(partial([seqs[1]!, seqs[2]!]));
      expect((await storage.sessionsOfVisitor(acc.id, 'v1'))[0]?.eventCount).toBe(1);
      expect(await storage.applyProcessed(pass([seqs[1]!, seqs[2]!], 2))).toEqual(applied());
      expect(await storage.applyProcessed(pass(seqs, 3))).toEqual(stale());
      expect((await storage.sessionsOfVisitor(acc.id, 'v1'))[0]?.eventCount).toBe(3);
      expect(await storage.inboxHealth()).toMatchObject({ pending: 0 });
    });
  });

  describe('applyProcessed session keys', () => {
    it('keys a session by its visitor too: one id under two visitors is two sessions, each merging only its own rows', async () => {
      await storage.applyProcessed(
        batch({
          sessions: [
            session(acc.id, {
              id: 's1',
              visitorId: 'v1',
              startedAt: 1000,
              lastSeenAt: 2000,
              eventCount: 1,
              pageviewCount: 1,
              ...landing,
            }),
            session(acc.id, {
              id: 's1',
              visitorId: 'v2',
              startedAt: 3000,
              lastSeenAt: 4000,
              eventCount: 2,
              pageviewCount: 1,
            }),
            session(acc.id, {
              id: 's1',
              visitorId: 'v1',
              startedAt: 1500,
              lastSeenAt: 2500,
              eventCount: 4,
              pageviewCount: 0,
            }),
          ],
          done: await claimed('k', 3),
        }),
      );
      expect(
        (await storage.sessionsOfVisitor(acc.id, 'v1')).map((x) => [
          x.id,
          x.startedAt,
          x.lastSeenAt,
          x.eventCount,
          x.channel,
        ]),
      ).toEqual([['s1', 1000, 2500, 5, 'email']]);
      expect(
        (await storage.sessionsOfVisitor(acc.id, 'v2')).map((x) => [
          x.id,
          x.startedAt,
          x.lastSeenAt,
          x.eventCount,
          x.channel,
        ]),
      ).toEqual([['s1', 3000, 4000, 2, null]]);
    });
  });

  describe('applyProcessed replays', () => {
    it('writes nothing twice when the same pass is applied again (a stale worker after its lease expired)', async () => {
      const pass = batch({
        visitors: [{ accountId: acc.id, id: 'v1', firstSeenAt: 1000, lastSeenAt: 2000 }],
        sessions: [
          session(acc.id, {
            id: 's1',
            visitorId: 'v1',
            startedAt: 1000,
            lastSeenAt: 2000,
            eventCount: 2,
            pageviewCount: 2,
          }),
        ],
        events: [
          event(acc.id, { id: 'e1', visitorId: 'v1', sessionId: 's1', timestamp: 1000 }),
          event(acc.id, { id: 'e2', visitorId: 'v1', sessionId: 's1', timestamp: 2000 }),
        ],
        conversions: [
          {
            accountId: acc.id,
            id: 'c1',
            name: 'buy',
            visitorId: 'v1',
            sessionId: 's1',
            timestamp: 2000,
            revenue: 10,
            currency: 'EUR',
            properties: '{}',
          },
        ],
        identities: [
          { accountId: acc.id, userId: 'u1', visitorId: 'v1', timestamp: 1500, traits: '{}', traitsAt: 1500 },
        ],
        done: await claimed('x', 2),
      });
      await storage.applyProcessed(pass);
      await storage.applyProcessed(pass);
      expect(await storage.stats(acc.id, 0, 10_000)).toEqual({
        visitors: 1,
        sessions: 1,
        events: 2,
        conversions: 1,
        revenue: 10,
      });
      const visitor = await storage.visitor(acc.id, 'v1');
      expect(visitor?.sessions.map((s) => s.eventCount)).toEqual([2]);
      expect(visitor?.events.map((e) => e.id)).toEqual(['e1', 'e2']);
      expect(visitor?.userIds).toEqual(['u1']);
    });

    it('skips events, conversions and identities already stored when they come again in a new pass', async () => {
      const items = batch({
        events: [event(acc.id, { id: 'e1', visitorId: 'v1', timestamp: 1000 })],
        conversions: [
          {
            accountId: acc.id,
            id: 'c1',
            name: 'buy',
            visitorId: 'v1',
            sessionId: null,
            timestamp: 1000,
            revenue: 5,
            currency: 'EUR',
            properties: '{}',
          },
        ],
        identities: [
          { accountId: acc.id, userId: 'u1', visitorId: 'v1', timestamp: 1000, traits: '{}', traitsAt: 1000 },
        ],
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
      await storage.applyProcessed(
        batch({ done: [done!], dead: [{ seq: dead!, error: 'payload is not valid JSON' }] }),
      );
      expect(await storage.inboxHealth()).toMatchObject({ pending: 1, dead: 1 });
      // A late "dead" verdict for a row already done does not overturn it.
      await storage.applyProcessed(batch({ dead: [{ seq: done!, error: 'late' }] }));
      expect(await storage.inboxHealth()).toMatchObject({ pending: 1, dead: 1 });
    });

    it('commits nothing, inbox outcome included, when any write of the pass fails', async () => {
      const seqs = await claimed('x', 2);
      const broken = batch({
        events: [
          event(acc.id, { id: 'e1', visitorId: 'v1' }),
          event(acc.id, { id: 'e2', visitorId: null as unknown as string }),
        ],
        done: seqs,
      });
      await expect(storage.applyProcessed(broken)).rejects.toMatchObject({
        code: 'query_failed',
        message: expect.stringContaining('applyProcessed'),
      });
      expect(await storage.inboxHealth()).toMatchObject({ pending: 2, dead: 0 });
      expect(await storage.stats(acc.id, 0, 10_000)).toMatchObject({ events: 0 });
    });
  });
});
