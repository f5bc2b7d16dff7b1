// Erasure and export of a cookieless visitor (issue 20): their items in the inbox, stored as received without a visitor id, are found by recomputing the daily hash, exported with the rest, and erased to the last byte; another browser's stay.
import { COOKIELESS_ID, newId } from '@touchline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { storageFactories } from '../../../storage/src/test-support/storage-factories.js';
import { storedText, whereStored } from '../../../storage/src/test-support/stored-text.js';
import { getJson, postBatch, startCollector } from '../test-support/collector-fixture.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const ERASED_UA = 'Mozilla/5.0 (X11; Linux x86_64) ErasedBrowser/1.0';
const KEPT_UA = 'Mozilla/5.0 (Macintosh) KeptBrowser/2.0';

function cookielessPageview(at: number, path: string, ua: string, ip: string) {
  return {
    type: 'pageview',
    id: newId(at),
    timestamp: new Date(at).toISOString(),
    visitor_id: COOKIELESS_ID,
    session_id: COOKIELESS_ID,
    context: {
      url: `https://shop.example${path}`,
      referrer: null,
      user_agent: ua,
      ip,
      utm: {},
      click_ids: {},
      session_start: null,
    },
  };
}

describe.each(await storageFactories(process.env, import.meta.url))('cookieless erasure on $dialect', (factory) => {
  it('exports and erases the processed inbox items of a cookieless visitor by their computed id; the other browser keeps its own', async () => {
    const fx = await startCollector({}, factory);
    cleanup.push(() => fx.close());
    const ingestKey = await fx.keyFor('shop');
    const adminKey = await fx.keyFor('shop', ['read', 'admin']);
    const t = Date.now() - 20 * 60_000;
    expect(
      await postBatch(fx.url, ingestKey, [
        cookielessPageview(t, '/erased-first', ERASED_UA, '203.0.113.50'),
        cookielessPageview(t + 60_000, '/erased-second', ERASED_UA, '203.0.113.50'),
        cookielessPageview(t + 30_000, '/kept', KEPT_UA, '198.51.100.9'),
      ]),
    ).toMatchObject({ status: 202, body: { accepted: 3 } });
    await fx.collector.worker.drain();
    const accountId = (await fx.storage.findAccount('shop'))?.id ?? '';
    const events = await fx.storage.recentEvents(accountId, { since: t - 60_000, limit: 10 });
    const visitorOf = (path: string): string => events.find((e) => e.url?.endsWith(path))?.visitorId ?? '';
    const [erased, kept] = [visitorOf('/erased-first'), visitorOf('/kept')];
    expect(erased).toMatch(/^[0-9a-f]{8}-/);
    expect(visitorOf('/erased-second')).toBe(erased);
    expect(kept).not.toBe(erased);
    const before = await storedText(factory.dialect, fx.databaseUrl);
    expect(before.includes('ErasedBrowser'), 'the scan must see the inbox payloads').toBe(true);

    // Access: the visitor's received items, decoded from the inbox (where they have no visitor id).
    const exported = await getJson(fx.url, adminKey, `/api/v1/visitors/${erased}/export`);
    expect(exported.status).toBe(200);
    const received = exported.body.received_items as Array<{ item: { context: { url: string } } }>;
    expect(received.map((r) => r.item.context.url).sort()).toEqual([
      'https://shop.example/erased-first',
      'https://shop.example/erased-second',
    ]);

    // The matcher runs on a read thread (read-ops.ts cookielessInboxSeqs), not on the ingest event loop.
    expect(fx.collector.reads.mode).toBe('thread');
    const res = await fetch(`${fx.url}/api/v1/visitors/${erased}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(await res.json()).toMatchObject({ erased: true, removed: { visitors: 1, events: 2, inbox_items: 2 } });
    const after = await storedText(factory.dialect, fx.databaseUrl);
    for (const marker of [erased, 'ErasedBrowser', '/erased-first']) {
      expect(
        after.includes(marker) ? await whereStored(factory.dialect, fx.databaseUrl, marker) : [],
        `${marker} left in storage`,
      ).toEqual([]);
    }
    for (const marker of [kept, 'KeptBrowser']) expect(after.includes(marker), `${marker} must stay`).toBe(true);
    const keptExport = await getJson(fx.url, adminKey, `/api/v1/visitors/${kept}/export`);
    expect((keptExport.body.received_items as unknown[]).length).toBe(1);
  });

  it("erases a cookieless visitor's pending inbox items among many of other browsers (matched off the event loop: on the inbox thread on SQLite, a read thread on PostgreSQL), and the others are processed afterwards", async () => {
    const fx = await startCollector({}, factory);
    cleanup.push(() => fx.close());
    const ingestKey = await fx.keyFor('shop');
    const adminKey = await fx.keyFor('shop', ['read', 'admin']);
    const t = Date.now() - 20 * 60_000;
    // One processed item makes the day's secret and gives the visitor its id.
    await postBatch(fx.url, ingestKey, [cookielessPageview(t, '/erased-first', ERASED_UA, '203.0.113.50')]);
    await fx.collector.worker.drain();
    const accountId = (await fx.storage.findAccount('shop'))?.id ?? '';
    const [first] = await fx.storage.recentEvents(accountId, { since: t - 60_000, limit: 10 });
    const erased = first?.visitorId ?? '';
    expect(erased).toMatch(/^[0-9a-f]{8}-/);
    // The worker is stopped: the rest stays pending, the person's three among 300 of other browsers.
    await fx.collector.worker.stop();
    const others = Array.from({ length: 300 }, (_, i) =>
      cookielessPageview(t + 1000 + i, `/other-${i}`, `${KEPT_UA} ${i % 30}`, `198.51.${i % 10}.9`),
    );
    const mine = [1, 2, 3].map((i) =>
      cookielessPageview(t + 2000 + i, `/erased-pending-${i}`, ERASED_UA, '203.0.113.50'),
    );
    for (let i = 0; i < others.length; i += 100) {
      const batch = [...others.slice(i, i + 100), ...(i === 100 ? mine : [])];
      expect((await postBatch(fx.url, ingestKey, batch)).status).toBe(202);
    }
    expect(fx.collector.reads.mode).toBe('thread');
    // Still pending: nothing but the first item was processed.
    expect((await fx.storage.recentEvents(accountId, { since: t - 60_000, limit: 1000 })).length).toBe(1);
    const res = await fetch(`${fx.url}/api/v1/visitors/${erased}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(await res.json()).toMatchObject({ erased: true, removed: { visitors: 1, events: 1, inbox_items: 4 } });
    const after = await storedText(factory.dialect, fx.databaseUrl);
    for (const marker of [erased, 'ErasedBrowser', '/erased-first', '/erased-pending-']) {
      expect(
        after.includes(marker) ? await whereStored(factory.dialect, fx.databaseUrl, marker) : [],
        `${marker} left in storage`,
      ).toEqual([]);
    }
    fx.collector.worker.start();
    await fx.collector.worker.drain();
    const stored = await fx.storage.recentEvents(accountId, { since: t - 60_000, limit: 1000 });
    expect(stored.length).toBe(300);
    expect(stored.every((e) => e.url?.includes('/other-'))).toBe(true);
  });
});
