// Processed inbox rows are compacted after inboxPayloadKeepDays and pruned after inboxKeepDays, and an item re-sent at any time is still stored exactly once: a duplicate while its row is kept, too old to accept once it is gone.
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { storageFactories } from '../../storage/src/test-support/storage-factories.js';
import { parseServerSettings } from './server-settings.js';
import { getJson, pageview, postBatch, startCollector, type Fixture } from './test-support/collector-fixture.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 2, 9);

let fx: Fixture | null = null;
afterEach(async () => {
  await fx?.close();
  fx = null;
});

describe.each(await storageFactories(process.env, import.meta.url))('inbox pruning on $dialect', (factory) => {
  it('a re-sent old item is stored exactly once, before and after its inbox row is pruned', async () => {
    let clock = T0;
    // Payloads kept as long as their rows: this test watches the rows through readProcessedInbox.
    fx = await startCollector(
      {
        now: () => clock,
        maintenanceIntervalMs: 20,
        inboxPayloadKeepDays: null,
        integrity: { enabled: false },
        rateLimit: { enabled: false },
      },
      factory,
    );
    const { collector, storage, url } = fx;
    const key = await fx.keyFor('shop');
    const item = pageview(newId(T0 - DAY), newId(T0 - HOUR), T0 - HOUR);
    const eventsStored = async (): Promise<unknown> =>
      (await getJson(url, key, `/api/v1/stats?from=0&to=${clock + DAY}`)).body.events;

    expect((await postBatch(url, key, [item])).body).toMatchObject({ accepted: 1, duplicates: 0, errors: [] });
    await collector.worker.drain();
    expect(await eventsStored()).toBe(1);

    // Day 29: the item is still young enough to be accepted, and its kept row makes it a duplicate.
    clock = T0 + 29 * DAY;
    expect((await postBatch(url, key, [item])).body).toMatchObject({ accepted: 0, duplicates: 1, errors: [] });
    await collector.worker.drain();
    expect(await eventsStored()).toBe(1);
    const account = await storage.findAccount('shop');
    expect(
      (await storage.readProcessedInbox({ accountId: account?.id ?? null, afterSeq: 0, limit: 10 })).rows.map(
        (r) => r.itemId,
      ),
    ).toEqual([item.id]);

    // Day 33: past inboxKeepDays (32) the pruner, every maintenance interval, deletes the row.
    clock = T0 + 33 * DAY;
    while (
      (await storage.readProcessedInbox({ accountId: account?.id ?? null, afterSeq: 0, limit: 10 })).rows.length > 0
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Re-sent now, the item is older than maxPastAgeMs (30 days): rejected, never stored a second time.
    const resent = await postBatch(url, key, [item]);
    expect(resent.body).toMatchObject({
      accepted: 0,
      duplicates: 0,
      errors: [expect.objectContaining({ id: item.id, code: 'invalid_timestamp' })],
    });
    await collector.worker.drain();
    expect(await eventsStored()).toBe(1);
    expect(await storage.inboxHealth()).toEqual({ pending: 0, dead: 0, oldestPendingAt: null });
  });

  it('a re-sent item is still stored exactly once after its processed row was compacted (payload dropped, dedupe key kept)', async () => {
    let clock = T0;
    fx = await startCollector(
      { now: () => clock, maintenanceIntervalMs: 20, integrity: { enabled: false }, rateLimit: { enabled: false } },
      factory,
    );
    const { collector, storage, url } = fx;
    const key = await fx.keyFor('shop');
    const item = pageview(newId(T0 - DAY), newId(T0 - HOUR), T0 - HOUR);
    const eventsStored = async (): Promise<unknown> =>
      (await getJson(url, key, `/api/v1/stats?from=0&to=${clock + DAY}`)).body.events;
    expect((await postBatch(url, key, [item])).body).toMatchObject({ accepted: 1, duplicates: 0, errors: [] });
    await collector.worker.drain();
    const account = await storage.findAccount('shop');
    const processedPayloads = async (): Promise<number> =>
      (await storage.readProcessedInbox({ accountId: account?.id ?? null, afterSeq: 0, limit: 10 })).rows.length;
    expect(await processedPayloads()).toBe(1);

    // Day 3: past inboxPayloadKeepDays (2) the pruner's compaction empties the payload.
    clock = T0 + 3 * DAY;
    while ((await processedPayloads()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    // Re-sent on days 3 and 29 (still young enough to be accepted): the kept row makes it a duplicate.
    for (const day of [3, 29]) {
      clock = T0 + day * DAY;
      expect((await postBatch(url, key, [item])).body).toMatchObject({ accepted: 0, duplicates: 1, errors: [] });
      await collector.worker.drain();
      expect(await eventsStored()).toBe(1);
    }
    expect(await storage.inboxHealth()).toEqual({ pending: 0, dead: 0, oldestPendingAt: null });
  });

  it('inboxKeepDays and inboxPayloadKeepDays null keep processed rows, with their payloads, forever', async () => {
    let clock = T0;
    fx = await startCollector(
      {
        now: () => clock,
        maintenanceIntervalMs: 20,
        inboxKeepDays: null,
        inboxPayloadKeepDays: null,
        integrity: { enabled: false },
      },
      factory,
    );
    const key = await fx.keyFor('shop');
    expect((await postBatch(fx.url, key, [pageview(newId(T0 - DAY), newId(T0 - HOUR), T0 - HOUR)])).body).toMatchObject(
      { accepted: 1 },
    );
    await fx.collector.worker.drain();
    clock = T0 + 400 * DAY;
    // Several maintenance intervals pass on the real clock.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fx.storage.readProcessedInbox({ accountId: null, afterSeq: 0, limit: 10 })).rows).toHaveLength(1);
  });
});

describe('inboxPayloadKeepDays', () => {
  it('defaults to 2 days; 0 and null (forever) are allowed, a negative or fractional number is refused by name', () => {
    expect(parseServerSettings().inboxPayloadKeepDays).toBe(2);
    expect(parseServerSettings({ inboxPayloadKeepDays: 0 }).inboxPayloadKeepDays).toBe(0);
    expect(parseServerSettings({ inboxPayloadKeepDays: null }).inboxPayloadKeepDays).toBeNull();
    expect(() => parseServerSettings({ inboxPayloadKeepDays: -1 })).toThrow(/inboxPayloadKeepDays/);
    expect(() => parseServerSettings({ inboxPayloadKeepDays: 1.5 })).toThrow(/inboxPayloadKeepDays/);
  });
});

describe('inboxKeepDays', () => {
  it('must outlast the age at which items are still accepted, so pruning can never make a retry new again', () => {
    expect(parseServerSettings().inboxKeepDays).toBe(32);
    expect(parseServerSettings({ inboxKeepDays: 31 }).inboxKeepDays).toBe(31);
    expect(() => parseServerSettings({ inboxKeepDays: 30 })).toThrow(/inboxKeepDays: must be at least 31 days/);
    expect(() => parseServerSettings({ inboxKeepDays: 8, maxPastAgeMs: 7 * DAY })).not.toThrow();
    expect(() => parseServerSettings({ inboxKeepDays: 40, maxPastAgeMs: 40 * DAY })).toThrow(/at least 41 days/);
  });
});
