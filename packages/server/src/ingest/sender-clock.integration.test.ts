// A host with a wrong clock over HTTP (issue 16 item 9): a batch from a sender 2 h fast is stored at the collector's times; beyond 24 h, or without sent_at, today's rule.
import { newId } from '@touchline/core';
import { createClient } from '@touchline/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageFactories } from '../../../storage/src/test-support/storage-factories.js';
import { eventItem, pageview, startCollector, type Fixture } from '../test-support/collector-fixture.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe.each(await storageFactories(process.env, import.meta.url))('sender clock skew on $dialect', (factory) => {
  let fx: Fixture;
  let key: string;
  let accountId: string;

  /** A batch as a sender whose clock reads `skewMs` ahead of true time sends it: its items and its sent_at on that clock. */
  async function sendFrom(skewMs: number, items: (senderNow: number) => unknown[]) {
    const senderNow = Date.now() + skewMs;
    const res = await fetch(`${fx.url}/api/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        batch_id: newId(),
        sent_at: new Date(senderNow).toISOString(),
        sdk: { name: 'test', version: '0' },
        items: items(senderNow),
      }),
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        accepted?: number;
        errors?: Array<{ index: number; code: string; message: string }>;
      },
    };
  }

  beforeAll(async () => {
    fx = await startCollector({}, factory);
    key = await fx.keyFor('shop');
    accountId = (await fx.storage.findAccount('shop'))?.id ?? '';
  });
  afterAll(async () => {
    await fx?.close();
  });

  it("stores the items of a sender 2 h fast at the collector's times, keeping their spacing", async () => {
    const visitor = newId();
    const session = newId();
    const before = Date.now();
    const sent = await sendFrom(2 * HOUR, (t) => [
      pageview(visitor, session, t - 10 * MIN),
      eventItem(visitor, session, t - MIN),
    ]);
    const after = Date.now();
    expect(sent).toEqual({ status: 202, body: expect.objectContaining({ accepted: 2, errors: [] }) });
    await fx.collector.worker.drain();
    const stored = (await fx.storage.visitor(accountId, visitor))?.events.map((e) => e.timestamp) ?? [];
    expect(stored).toHaveLength(2);
    const [landing, click] = stored as [number, number];
    expect(click - landing).toBe(9 * MIN);
    // Corrected by the measured offset (2 h plus the network time), so within the request's span of true time.
    expect(landing).toBeGreaterThanOrEqual(before - 10 * MIN - 1000);
    expect(landing).toBeLessThanOrEqual(after - 10 * MIN + 1000);
  });

  it('an SDK on a host 2 h fast delivers everything, at true times, and the skew shows in its health and the integrity check', async () => {
    const sdk = createClient({
      apiKey: key,
      endpoint: fx.url,
      now: () => Date.now() + 2 * HOUR,
      batch: { flushIntervalMs: 5, maxItems: 10 },
    });
    const visitors = Array.from({ length: 15 }, () => newId());
    const before = Date.now();
    for (const visitorId of visitors) sdk.event('clicked', {}, { visitorId });
    const flushed = await sdk.flush({ timeoutMs: 10_000 });
    await sdk.close({ timeoutMs: 1000 });
    expect(flushed).toMatchObject({ settled: true, stats: { delivered: 15, dropped: {} } });
    expect(flushed.stats.dropped).toEqual({});
    await fx.collector.worker.drain();
    for (const visitorId of visitors) {
      const at = (await fx.storage.visitor(accountId, visitorId))?.events[0]?.timestamp ?? 0;
      expect(at).toBeGreaterThanOrEqual(before - 1000);
      expect(at).toBeLessThanOrEqual(Date.now() + 1000);
    }
    await fx.collector.sdkHealth.flush();
    const skew = (await fx.collector.integrity.evaluate(accountId)).checks.find((c) => c.id === 'sdk-clock-skew');
    expect(skew).toMatchObject({
      state: 'warn',
      note: expect.stringMatching(/^1 of \d+ SDK instance\(s\) more than 1 min off/),
    });
    expect(skew?.value).toBeGreaterThanOrEqual(119.9);
    expect(skew?.value).toBeLessThanOrEqual(120.1);
  });

  it('corrects a slow sender too, and leaves a sender within the tolerance as it is', async () => {
    const slow = newId();
    const t0 = Date.now();
    expect((await sendFrom(-3 * HOUR, (t) => [pageview(slow, newId(), t)])).status).toBe(202);
    const inSync = newId();
    const exact = Date.now() - 5 * MIN;
    const sentInSync = await sendFrom(0, () => [pageview(inSync, newId(), exact)]);
    expect(sentInSync.status).toBe(202);
    await fx.collector.worker.drain();
    const slowAt = (await fx.storage.visitor(accountId, slow))?.events[0]?.timestamp ?? 0;
    expect(Math.abs(slowAt - t0)).toBeLessThan(30_000);
    expect((await fx.storage.visitor(accountId, inSync))?.events[0]?.timestamp).toBe(exact);
  });

  it("beyond 24 h of skew judges items as sent, with a per-item error naming the sender's clock", async () => {
    const sent = await sendFrom(25 * HOUR, (t) => [pageview(newId(), newId(), t)]);
    expect(sent.status).toBe(400);
    expect(sent.body.errors).toEqual([
      expect.objectContaining({
        index: 0,
        code: 'invalid_timestamp',
        message: expect.stringMatching(
          /more than 60 minutes in the future \(the sender's clock is 25 h ahead of the collector's by sent_at, more than the 24 h the collector corrects/,
        ),
      }),
    ]);
  });

  it("keeps today's rule without a sent_at (single items): more than 1 h ahead is refused", async () => {
    const item: Record<string, unknown> = eventItem(newId(), null, Date.now() + 2 * HOUR);
    delete item.type;
    const res = await fetch(`${fx.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(item),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/more than 60 minutes in the future/);
    // And a batch whose sent_at is right but whose items are 2 h ahead is not "corrected" either.
    const inSync = await sendFrom(0, (t) => [pageview(newId(), newId(), t + 2 * HOUR)]);
    expect(inSync.status).toBe(400);
    expect(inSync.body.errors?.[0]?.message).toMatch(/more than 60 minutes in the future$/);
  });
});
