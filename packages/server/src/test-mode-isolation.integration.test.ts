// Test mode over HTTP (issue 16 item 8): what a tl_test_ key writes only tl_test_ keys of that account read, and a live key's data is invisible to them.
import { randomUUID } from 'node:crypto';
import { testAccountIdOf } from '@touchline/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageFactories } from '../../storage/src/test-support/storage-factories.js';
import {
  conversionItem,
  getJson,
  pageview,
  postBatch,
  startCollector,
  type Fixture,
} from './test-support/collector-fixture.js';

describe.each(await storageFactories(process.env, import.meta.url))(
  'test and live keys of one account on $dialect',
  (factory) => {
    let fx: Fixture;
    let live: string;
    let test: string;
    let secondTest: string;
    const L = { visitor: randomUUID(), session: randomUUID(), revenue: 100 };
    const T = { visitor: randomUUID(), session: randomUUID(), revenue: 7 };
    /** One item id written through both keys: in two tenants it is two rows, never a duplicate of the other. */
    const shared = randomUUID();

    beforeAll(async () => {
      fx = await startCollector({}, factory);
      live = await fx.keyFor('shop');
      test = await fx.keyFor('shop', ['ingest', 'read'], 'test');
      secondTest = await fx.keyFor('shop', ['read'], 'test');
      const now = Date.now();
      const item = (visitor: string, session: string) => ({ ...conversionItem(visitor, session, now, 1), id: shared });
      const liveBatch = await postBatch(fx.url, live, [
        pageview(L.visitor, L.session, now - 1000),
        conversionItem(L.visitor, L.session, now, L.revenue),
        item(L.visitor, L.session),
      ]);
      const testBatch = await postBatch(fx.url, test, [
        pageview(T.visitor, T.session, now - 1000),
        conversionItem(T.visitor, T.session, now, T.revenue),
        item(T.visitor, T.session),
      ]);
      expect([liveBatch.status, testBatch.status]).toEqual([202, 202]);
      expect([liveBatch.body, testBatch.body]).toEqual([
        expect.objectContaining({ accepted: 3, duplicates: 0 }),
        expect.objectContaining({ accepted: 3, duplicates: 0 }),
      ]);
      await fx.collector.worker.drain();
    });
    afterAll(async () => {
      await fx?.close();
    });

    it("stores test data under the account's test-mode account, listed beside the live one", async () => {
      const accounts = await fx.storage.listAccounts();
      const shop = accounts.find((a) => a.name === 'shop');
      expect(accounts.map((a) => a.name)).toEqual(['shop', 'shop (test mode)']);
      expect(accounts[1]?.id).toBe(testAccountIdOf(shop?.id ?? ''));
      expect(await fx.storage.stats(shop?.id ?? '', 0, Date.now() + 1)).toMatchObject({
        visitors: 1,
        conversions: 2,
        revenue: L.revenue + 1,
      });
      expect(await fx.storage.stats(accounts[1]?.id ?? '', 0, Date.now() + 1)).toMatchObject({
        visitors: 1,
        conversions: 2,
        revenue: T.revenue + 1,
      });
    });

    it('a live key sees only live data, a test key only test data', async () => {
      const stats = async (key: string) =>
        ((await getJson(fx.url, key, '/api/v1/stats?from=0')).body as { revenue: number }).revenue;
      expect(await stats(live)).toBe(L.revenue + 1);
      expect(await stats(test)).toBe(T.revenue + 1);
      expect(await stats(secondTest)).toBe(T.revenue + 1);
      expect((await getJson(fx.url, live, `/api/v1/visitors/${T.visitor}`)).status).toBe(404);
      expect((await getJson(fx.url, test, `/api/v1/visitors/${L.visitor}`)).status).toBe(404);
      expect((await getJson(fx.url, secondTest, `/api/v1/visitors/${T.visitor}`)).status).toBe(200);
      expect((await getJson(fx.url, live, `/api/v1/visitors/${L.visitor}`)).status).toBe(200);
      const sessions = async (key: string, visitor: string) =>
        ((await getJson(fx.url, key, `/api/v1/sessions?visitor_id=${visitor}`)).body as { sessions: unknown[] })
          .sessions.length;
      expect([await sessions(live, T.visitor), await sessions(test, L.visitor)]).toEqual([0, 0]);
      expect([await sessions(live, L.visitor), await sessions(test, T.visitor)]).toEqual([1, 1]);
    });
  },
);
