// Dashboard reads on both dialects: time series buckets, top landing pages and referrers, live feed, conversions, admin settings.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, ConversionRow, Storage } from '../../storage.js';
import { batch, event, session } from '../../test-support/temp-storage.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';

const conversion = (accountId: string, id: string, timestamp: number, revenue: number | null): ConversionRow => ({
  accountId,
  id,
  name: 'purchase',
  visitorId: 'v1',
  sessionId: null,
  timestamp,
  revenue,
  currency: 'EUR',
  properties: '{}',
});

describe.each(await storageFactories(process.env, import.meta.url))('$dialect', (factory) => {
  let db: TestStorage;
  let storage: Storage;
  let acc: Account;
  let other: Account;
  beforeEach(async () => {
    db = await factory.open();
    storage = db.storage;
    acc = await storage.ensureAccount('acme', 1);
    other = await storage.ensureAccount('other', 1);
  });
  afterEach(async () => {
    await db.remove();
  });

  describe('timeSeries', () => {
    it('counts sessions by start, items by time, per bucket from `from`, with empty buckets zero and other accounts left out', async () => {
      await storage.applyProcessed(
        batch({
          sessions: [
            session(acc.id, { id: 's1', visitorId: 'v1', startedAt: 1000, lastSeenAt: 5000 }),
            session(acc.id, { id: 's2', visitorId: 'v1', startedAt: 1500, lastSeenAt: 1500 }),
            session(acc.id, { id: 's3', visitorId: 'v2', startedAt: 3999, lastSeenAt: 3999 }),
            session(acc.id, { id: 'before', visitorId: 'v3', startedAt: 999, lastSeenAt: 999 }),
            session(other.id, { id: 'x', visitorId: 'v9', startedAt: 1000 }),
          ],
          events: [1000, 1999, 3000, 4000].map((t) => event(acc.id, { id: `e${t}`, visitorId: 'v1', timestamp: t })),
          conversions: [
            conversion(acc.id, 'c1', 1200, 10),
            conversion(acc.id, 'c2', 1300, null),
            conversion(other.id, 'c3', 1200, 99),
          ],
        }),
      );
      expect(await storage.timeSeries(acc.id, { from: 1000, to: 4000, bucketMs: 1000 })).toEqual([
        { at: 1000, sessions: 2, visitors: 1, events: 2, conversions: 2, revenue: 10 },
        { at: 2000, sessions: 0, visitors: 0, events: 0, conversions: 0, revenue: 0 },
        { at: 3000, sessions: 1, visitors: 1, events: 1, conversions: 0, revenue: 0 },
      ]);
      // Counted from an origin before `from`: the first bucket is partial and starts at `from`.
      expect(await storage.timeSeries(acc.id, { from: 1500, to: 4000, bucketMs: 1000, origin: 1000 })).toEqual([
        { at: 1500, sessions: 1, visitors: 1, events: 1, conversions: 0, revenue: 0 },
        { at: 2000, sessions: 0, visitors: 0, events: 0, conversions: 0, revenue: 0 },
        { at: 3000, sessions: 1, visitors: 1, events: 1, conversions: 0, revenue: 0 },
      ]);
    });

    it('sums revenue per bucket, and in stats, without binary noise: 0.1 + 0.2 is 0.3', async () => {
      await storage.applyProcessed(
        batch({ conversions: [conversion(acc.id, 'a', 1100, 0.1), conversion(acc.id, 'b', 1200, 0.2)] }),
      );
      expect((await storage.timeSeries(acc.id, { from: 1000, to: 2000, bucketMs: 1000 }))[0]).toMatchObject({
        conversions: 2,
        revenue: 0.3,
      });
      expect(await storage.stats(acc.id, 1000, 2000)).toMatchObject({ conversions: 2, revenue: 0.3 });
    });

    it('sums exactly where a float sum rounded afterwards is off: 20,000 amounts near the limit, refunds, cents', async () => {
      // Exact total: 10,000 x 999,999,999.99 + 10,000 x 0.07 - 10,000 x 999,999,999.99 (refunds) + 2 x 0.01 = 700.02.
      const amounts: number[] = [];
      for (let i = 0; i < 10_000; i++) amounts.push(999_999_999.99, 0.07);
      for (let i = 0; i < 10_000; i++) amounts.push(-999_999_999.99);
      amounts.push(0.01, 0.01);
      const floatSum = amounts.reduce((a, b) => a + b, 0);
      expect(Math.round(floatSum * 1e6) / 1e6).not.toBe(700.02);
      for (let start = 0; start < amounts.length; start += 5000) {
        await storage.applyProcessed(
          batch({
            conversions: amounts
              .slice(start, start + 5000)
              .map((r, i) => conversion(acc.id, `m${start + i}`, 1000 + ((start + i) % 900), r)),
          }),
        );
      }
      expect(await storage.stats(acc.id, 1000, 2000)).toMatchObject({ conversions: amounts.length, revenue: 700.02 });
      expect((await storage.timeSeries(acc.id, { from: 1000, to: 2000, bucketMs: 1000 }))[0]).toMatchObject({
        revenue: 700.02,
      });
    });

    it('rejects an empty range, too many buckets or an origin outside (from - bucket, from] with a message naming the window', async () => {
      await expect(storage.timeSeries(acc.id, { from: 10, to: 10, bucketMs: 1 })).rejects.toThrow(
        /timeSeries: \[10, 10\)/,
      );
      await expect(storage.timeSeries(acc.id, { from: 0, to: 1_000_000, bucketMs: 1 })).rejects.toThrow(
        /at most 2000 buckets/,
      );
      await expect(storage.timeSeries(acc.id, { from: 10, to: 20, bucketMs: 5, origin: 11 })).rejects.toThrow(
        /origin 11 must lie in \(from - bucketMs, from\]/,
      );
      await expect(storage.timeSeries(acc.id, { from: 10, to: 20, bucketMs: 5, origin: 5 })).rejects.toThrow(
        /origin 5 must lie/,
      );
    });
  });

  describe('topLandingPages and topReferrers', () => {
    it('groups landing paths without query strings and referrers by host, most sessions first, within the range', async () => {
      await storage.applyProcessed(
        batch({
          sessions: [
            session(acc.id, {
              id: 'a',
              visitorId: 'v1',
              startedAt: 1000,
              landingUrl: 'https://shop.example/p/1?utm_source=x',
              referrer: 'https://www.Google.com/search?q=1',
            }),
            session(acc.id, {
              id: 'b',
              visitorId: 'v2',
              startedAt: 1100,
              lastSeenAt: 1100,
              landingUrl: 'https://shop.example/p/1#top',
              referrer: 'https://www.google.com',
            }),
            session(acc.id, {
              id: 'c',
              visitorId: 'v2',
              startedAt: 1200,
              lastSeenAt: 1200,
              landingUrl: 'https://shop.example/p/1',
              referrer: 'https://news.example:8080/a',
            }),
            session(acc.id, {
              id: 'd',
              visitorId: 'v3',
              startedAt: 1300,
              lastSeenAt: 1300,
              landingUrl: 'https://shop.example',
              referrer: null,
            }),
            session(acc.id, {
              id: 'late',
              visitorId: 'v3',
              startedAt: 9000,
              lastSeenAt: 9000,
              landingUrl: 'https://shop.example/late',
              referrer: 'https://late.example/',
            }),
            session(other.id, {
              id: 'o',
              visitorId: 'v3',
              startedAt: 1000,
              landingUrl: 'https://other.example/secret',
              referrer: 'https://secret.example/',
            }),
          ],
        }),
      );
      const window = { from: 0, to: 5000, limit: 10 };
      expect(await storage.topLandingPages(acc.id, window)).toEqual([
        { value: '/p/1', sessions: 3, visitors: 2 },
        { value: '/', sessions: 1, visitors: 1 },
      ]);
      expect(await storage.topReferrers(acc.id, window)).toEqual([
        { value: 'www.google.com', sessions: 2, visitors: 2 },
        { value: 'news.example:8080', sessions: 1, visitors: 1 },
      ]);
      expect(await storage.topLandingPages(acc.id, { ...window, limit: 1 })).toHaveLength(1);
    });

    it('takes URLs without a scheme or path apart, folds ASCII case only, and sorts ties bytewise (as SQLite, in both dialects)', async () => {
      const at = (id: string, landingUrl: string, referrer: string) =>
        session(acc.id, { id, visitorId: id, startedAt: 1000, lastSeenAt: 1000, landingUrl, referrer });
      await storage.applyProcessed(
        batch({
          sessions: [
            at('u1', 'shop.example/no-scheme?x=1', 'HTTP://ÉXAMPLE.Com:80'),
            at('u2', 'https://shop.example/B', 'android-app://com.Google.android.gm/'),
            at('u3', 'https://shop.example/a#frag', '?only-a-query'),
            at('u4', 'https://shop.example?q=1', 'https://b.example/'),
          ],
        }),
      );
      const window = { from: 0, to: 5000, limit: 10 };
      expect((await storage.topLandingPages(acc.id, window)).map((r) => r.value)).toEqual([
        '/',
        '/B',
        '/a',
        '/no-scheme',
      ]);
      expect((await storage.topReferrers(acc.id, window)).map((r) => r.value)).toEqual([
        'b.example',
        'com.google.android.gm',
        'Éxample.com:80',
      ]);
    });
  });

  describe('recentEvents and listConversions', () => {
    it('returns the newest first, bounded by since/limit and by account', async () => {
      await storage.applyProcessed(
        batch({
          events: [
            ...[1000, 2000, 3000].map((t) =>
              event(acc.id, { id: `e${t}`, visitorId: 'v1', timestamp: t, url: `https://shop.example/${t}` }),
            ),
            event(other.id, { id: 'hidden', visitorId: 'v1', timestamp: 2500 }),
          ],
          conversions: [
            conversion(acc.id, 'c1', 1000, 5),
            conversion(acc.id, 'c2', 2000, null),
            conversion(other.id, 'c3', 1500, 1),
          ],
        }),
      );
      const recent = await storage.recentEvents(acc.id, { since: 2000, limit: 10 });
      expect(recent.map((e) => e.id)).toEqual(['e3000', 'e2000']);
      expect(recent[0]).toMatchObject({
        type: 'pageview',
        visitorId: 'v1',
        timestamp: 3000,
        url: 'https://shop.example/3000',
      });
      expect((await storage.recentEvents(acc.id, { since: 0, limit: 1 })).map((e) => e.id)).toEqual(['e3000']);
      expect(await storage.listConversions(acc.id, { from: 0, to: 5000, limit: 10 })).toEqual([
        { id: 'c2', name: 'purchase', visitorId: 'v1', timestamp: 2000, revenue: null, currency: 'EUR' },
        { id: 'c1', name: 'purchase', visitorId: 'v1', timestamp: 1000, revenue: 5, currency: 'EUR' },
      ]);
    });
  });

  describe('admin settings', () => {
    it('is null until set, then returns the latest value', async () => {
      expect(await storage.adminSetting('admin_password_hash')).toBeNull();
      await storage.setAdminSetting('admin_password_hash', 'first', 1);
      await storage.setAdminSetting('admin_password_hash', 'second', 2);
      expect(await storage.adminSetting('admin_password_hash')).toBe('second');
    });
  });
});
