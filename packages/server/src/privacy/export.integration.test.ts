// Access export end to end (issue 20 item 2): everything held about a person on two devices, nothing of anyone else, admin scope only; empty after erasure.
import { newId } from '@touchline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { storageFactories } from '../../../storage/src/test-support/storage-factories.js';
import {
  conversionItem,
  eventItem,
  getJson,
  pageview,
  postBatch,
  startCollector,
} from '../test-support/collector-fixture.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const identify = (visitorId: string, userId: string, at: number) => ({
  type: 'identify',
  id: newId(at),
  timestamp: new Date(at).toISOString(),
  visitor_id: visitorId,
  session_id: null,
  context: null,
  user_id: userId,
  traits: { plan: 'pro' },
});

describe.each(await storageFactories(process.env, import.meta.url))('export on $dialect', (factory) => {
  it("returns every device's visitor, sessions, events, conversions, identities and received items, and nobody else's", async () => {
    const fx = await startCollector({}, factory);
    cleanup.push(() => fx.close());
    const ingest = await fx.keyFor('shop');
    const admin = await fx.keyFor('shop', ['read', 'admin']);
    const t = Date.now() - 3_600_000;
    const [phone, laptop, other] = [newId(t), newId(t + 1), newId(t + 2)];
    const [sPhone, sLaptop, sOther] = [newId(t), newId(t + 1), newId(t + 2)];
    const items = [
      pageview(phone, sPhone, t),
      eventItem(phone, sPhone, t + 1000),
      identify(phone, 'erin@example.com', t + 2000),
      pageview(laptop, sLaptop, t + 60_000),
      conversionItem(laptop, sLaptop, t + 61_000, 49.99),
      identify(laptop, 'erin@example.com', t + 62_000),
      pageview(other, sOther, t + 5000),
      identify(other, 'otto@example.com', t + 6000),
    ];
    expect(await postBatch(fx.url, ingest, items)).toMatchObject({ status: 202, body: { accepted: 8 } });
    await fx.collector.worker.drain();

    expect((await getJson(fx.url, ingest, '/api/v1/users/erin%40example.com/export')).status).toBe(403);
    const res = await getJson(fx.url, admin, '/api/v1/users/erin%40example.com/export');
    expect(res.status).toBe(200);
    const body = res.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(body.subject).toEqual({ kind: 'user', id: 'erin@example.com' });
    expect(body.visitor_ids).toEqual([phone, laptop].sort());
    expect(body.user_ids).toEqual(['erin@example.com']);
    expect(body.visitors.map((v: { id: string }) => v.id).sort()).toEqual([phone, laptop].sort());
    expect(body.identities).toHaveLength(2);
    expect(body.identities[0]).toMatchObject({ user_id: 'erin@example.com', traits: { plan: 'pro' } });
    expect(body.sessions.map((s: { id: string }) => s.id).sort()).toEqual([sPhone, sLaptop].sort());
    expect(body.sessions[0]).toMatchObject({
      channel: 'paid_search',
      utm: { utm_source: 'google', utm_medium: 'cpc' },
    });
    expect(body.events).toHaveLength(3);
    expect(body.conversions).toEqual([
      expect.objectContaining({
        visitor_id: laptop,
        revenue: 49.99,
        currency: 'EUR',
        timestamp: new Date(t + 61_000).toISOString(),
      }),
    ]);
    expect(body.received_items).toHaveLength(6);
    const landing = body.received_items.find((r: { type: string }) => r.type === 'pageview');
    expect(landing).toMatchObject({
      state: 'processed',
      item: { visitor_id: phone, context: { ip: '203.0.113.0', user_agent: 'UA' } },
    });
    const text = JSON.stringify(body);
    for (const id of [other, sOther, 'otto@example.com']) expect(text.includes(id), id).toBe(false);

    // Per visitor: the same person, reached from one device.
    const byVisitor = await getJson(fx.url, admin, `/api/v1/visitors/${phone}/export`);
    expect(byVisitor.body).toMatchObject({ visitor_ids: [phone, laptop].sort(), user_ids: ['erin@example.com'] });
    expect((await getJson(fx.url, admin, `/api/v1/visitors/${'x'.repeat(65)}/export`)).body).toEqual({
      error: { code: 'invalid_path', message: 'id: 1-64 characters' },
    });

    // After erasure nothing is held any more.
    expect(
      (
        await fetch(`${fx.url}/api/v1/users/erin%40example.com`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${admin}` },
        })
      ).status,
    ).toBe(200);
    expect((await getJson(fx.url, admin, '/api/v1/users/erin%40example.com/export')).body).toMatchObject({
      visitor_ids: [],
      visitors: [],
      identities: [],
      sessions: [],
      events: [],
      conversions: [],
      received_items: [],
    });
  });
});
