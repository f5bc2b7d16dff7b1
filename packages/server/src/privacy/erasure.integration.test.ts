// Erasure end to end (issue 20): a person on two devices erased over HTTP leaves no byte of their ids in SQLite's files or PostgreSQL's tables, and a retried batch does not bring them back.
import { newId } from '@touchline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { storageFactories, type StorageFactory } from '../../../storage/src/test-support/storage-factories.js';
import { storedText, whereStored } from '../../../storage/src/test-support/stored-text.js';
import {
  conversionItem,
  eventItem,
  getJson,
  pageview,
  postBatch,
  startCollector,
  type Fixture,
} from '../test-support/collector-fixture.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const USER = 'erin.erased@example.com';
const OTHER_USER = 'otto.kept@example.com';

function identify(visitorId: string, userId: string, at: number) {
  return {
    type: 'identify',
    id: newId(at),
    timestamp: new Date(at).toISOString(),
    visitor_id: visitorId,
    session_id: null,
    context: null,
    user_id: userId,
    traits: { plan: 'pro' },
  };
}

/** Everything the storage holds, as one string to search (storedText: SQLite file and WAL bytes, PostgreSQL rows). */
function everything(fx: Fixture, factory: StorageFactory): Promise<string> {
  return storedText(factory.dialect, fx.databaseUrl);
}

describe.each(await storageFactories(process.env, import.meta.url))('erasure on $dialect', (factory) => {
  it('erases a person on two devices, leaves the other visitor whole, and a retried batch does not resurrect them', async () => {
    const fx = await startCollector({}, factory);
    cleanup.push(() => fx.close());
    const ingestKey = await fx.keyFor('shop');
    const adminKey = await fx.keyFor('shop', ['read', 'admin']);
    const t = Date.now() - 3_600_000;
    const [phone, laptop, other] = [newId(t), newId(t + 1), newId(t + 2)];
    const [sPhone, sLaptop, sOther] = [newId(t), newId(t + 1), newId(t + 2)];
    const personItems = [
      pageview(phone, sPhone, t),
      eventItem(phone, sPhone, t + 1000),
      identify(phone, USER, t + 2000),
      pageview(laptop, sLaptop, t + 60_000),
      conversionItem(laptop, sLaptop, t + 61_000, 49.99),
      identify(laptop, USER, t + 62_000),
    ];
    const otherItems = [
      pageview(other, sOther, t + 5000),
      conversionItem(other, sOther, t + 6000, 10.5),
      identify(other, OTHER_USER, t + 7000),
    ];
    const personBatch = newId();
    // Item by item, each processed before the next: the sessions rows are rewritten several times, which
    // leaves old copies of their cells in free page space unless deletes zero them (docs/privacy.md).
    for (const item of personItems.slice(0, -1)) {
      expect(await postBatch(fx.url, ingestKey, [item])).toMatchObject({ status: 202, body: { accepted: 1 } });
      await fx.collector.worker.drain();
    }
    expect(await postBatch(fx.url, ingestKey, personItems, personBatch)).toMatchObject({
      status: 202,
      body: { accepted: 1, duplicates: 5 },
    });
    expect(await postBatch(fx.url, ingestKey, otherItems)).toMatchObject({ status: 202, body: { accepted: 3 } });
    await fx.collector.worker.drain();
    const before = await fx.storage.stats(
      (await fx.storage.findAccount('shop'))?.id ?? '',
      t - 3_600_000,
      t + 3_600_000,
    );
    expect(before).toMatchObject({ visitors: 3, sessions: 3, conversions: 2 });

    const forbidden = await fetch(`${fx.url}/api/v1/users/${encodeURIComponent(USER)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ingestKey}` },
    });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toEqual({
      error: { code: 'forbidden', message: "this key lacks the 'admin' scope" },
    });

    const erase = (): Promise<Response> =>
      fetch(`${fx.url}/api/v1/users/${encodeURIComponent(USER)}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${adminKey}` },
      });
    const res = await erase();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      erased: true,
      visitor_ids: 2,
      user_ids: 1,
      removed: {
        visitors: 2,
        sessions: 2,
        events: 3,
        conversions: 1,
        identities: 2,
        inbox_items: 6,
        rollup_sessions: 2,
      },
    });

    const accountId = (await fx.storage.findAccount('shop'))?.id ?? '';
    expect(await fx.storage.stats(accountId, t - 3_600_000, t + 3_600_000)).toEqual({
      visitors: 1,
      sessions: 1,
      events: 1,
      conversions: 1,
      revenue: 10.5,
    });
    let bytes = await everything(fx, factory);
    // Where a left id is (file, page, neighbouring bytes) is the failure message's whole use.
    for (const id of [phone, laptop, USER])
      expect(
        bytes.includes(id) ? await whereStored(factory.dialect, fx.databaseUrl, id) : [],
        `${id} left in storage`,
      ).toEqual([]);
    for (const id of [other, OTHER_USER]) expect(bytes.includes(id), `the scan must see ${id}`).toBe(true);

    // The SDK retries the person's batch (its response was lost): stored again or deduplicated, never processed.
    expect((await postBatch(fx.url, ingestKey, personItems, personBatch)).status).toBe(202);
    await fx.collector.worker.drain();
    expect((await getJson(fx.url, adminKey, `/api/v1/visitors/${phone}`)).status).toBe(404);
    expect(await fx.storage.stats(accountId, t - 3_600_000, t + 3_600_000)).toMatchObject({
      visitors: 1,
      sessions: 1,
      events: 1,
    });
    // Idempotent: a second request finds nothing more and says so. On SQLite the retried items' inbox
    // rows were deleted by the worker with their bytes zeroed, but their insert is still in the WAL
    // until a checkpoint restarts it: a repeated erasure ends with one (docs/privacy.md).
    const again = await erase();
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({
      visitor_ids: 0,
      user_ids: 1,
      removed: { visitors: 0, sessions: 0, events: 0, inbox_items: 0 },
    });
    bytes = await everything(fx, factory);
    for (const id of [phone, laptop, USER])
      expect(
        bytes.includes(id) ? await whereStored(factory.dialect, fx.databaseUrl, id) : [],
        `${id} back after a retry`,
      ).toEqual([]);
    expect(bytes.includes(other)).toBe(true);
  });
});
