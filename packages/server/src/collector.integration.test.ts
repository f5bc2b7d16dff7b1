// End-to-end collector tests over real sockets and a real SQLite file: ingest, dedupe, errors, queries, isolation.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '@touchline/node';
import {
  conversionItem,
  eventItem,
  getJson,
  pageview,
  postBatch,
  startCollector,
  type Fixture,
} from './test-support/collector-fixture.js';
import { storageFactories } from '../../storage/src/test-support/storage-factories.js';

let fx: Fixture | null = null;
afterEach(async () => {
  await fx?.close();
  fx = null;
});

describe.each(await storageFactories(process.env, import.meta.url))('collector on $dialect', (factory) => {
  it('stores what the SDK sends, builds sessions with channels, and answers the query API', async () => {
    fx = await startCollector({}, factory);
    const key = await fx.keyFor('shop');
    const client = createClient({ apiKey: key, endpoint: fx.url, batch: { flushIntervalMs: 10 } });
    const cookies: string[] = [];
    const headers: Record<string, string> = {
      host: 'shop.example',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-dest': 'document',
      'user-agent': 'Mozilla/5.0 Chrome/140',
      referer: 'https://www.bing.com/search?q=x',
    };
    const scope = client.handle({
      method: 'GET',
      url: '/shoes',
      header: (n) => headers[n],
      remoteAddress: '198.51.100.23',
      encrypted: true,
      appendSetCookie: (c) => {
        cookies.push(...c);
        return true;
      },
    });
    client.run(scope, () => {
      client.event('viewed', { sku: 'S1' });
      client.conversion('purchase', { revenue: 99.5, currency: 'EUR' });
      client.identify('user-1', { plan: 'pro' });
    });
    const flushed = await client.flush({ timeoutMs: 5000 });
    expect(flushed.stats.delivered).toBe(4);
    await fx.collector.worker.drain();

    const visitorId = scope.identity.visitorId ?? '';
    const sessions = await getJson(fx.url, key, `/api/v1/sessions?visitor_id=${visitorId}`);
    expect(sessions.status).toBe(200);
    expect(sessions.body.sessions).toEqual([
      expect.objectContaining({
        id: scope.identity.sessionId,
        visitor_id: visitorId,
        landing_url: 'https://shop.example/shoes',
        referrer: 'https://www.bing.com/search?q=x',
        channel: 'organic_search',
        event_count: 3,
      }),
    ]);
    const stats = await getJson(fx.url, key, '/api/v1/stats');
    expect(stats.body).toMatchObject({ visitors: 1, sessions: 1, events: 2, conversions: 1, revenue: 99.5 });
    const visitor = await getJson(fx.url, key, `/api/v1/visitors/${visitorId}`);
    expect(visitor.body).toMatchObject({ id: visitorId, user_ids: ['user-1'] });
    await client.close();
  });

  it('is idempotent on (account, item id): a retried batch is acknowledged and stored once, with its batch_id echoed', async () => {
    fx = await startCollector({}, factory);
    const key = await fx.keyFor('shop');
    const v = randomUUID();
    const s = randomUUID();
    const items = [pageview(v, s, Date.now()), eventItem(v, s, Date.now()), conversionItem(v, s, Date.now(), 10)];
    const first = await postBatch(fx.url, key, items, '0190f7c2-0000-7000-8000-00000000000a');
    const second = await postBatch(fx.url, key, items, '0190f7c2-0000-7000-8000-00000000000b');
    expect(first).toMatchObject({
      status: 202,
      body: { batch_id: '0190f7c2-0000-7000-8000-00000000000a', accepted: 3, duplicates: 0 },
    });
    expect(second).toMatchObject({
      status: 202,
      body: { batch_id: '0190f7c2-0000-7000-8000-00000000000b', accepted: 0, duplicates: 3 },
    });
    await fx.collector.worker.drain();
    expect((await getJson(fx.url, key, '/api/v1/stats')).body).toMatchObject({
      events: 2,
      conversions: 1,
      revenue: 10,
      sessions: 1,
    });
  });

  it('sums revenue without binary noise: 0.1 + 0.2 is reported as 0.3', async () => {
    fx = await startCollector({}, factory);
    const key = await fx.keyFor('shop');
    const v = randomUUID();
    const s = randomUUID();
    await postBatch(fx.url, key, [conversionItem(v, s, Date.now(), 0.1), conversionItem(v, s, Date.now(), 0.2)]);
    await fx.collector.worker.drain();
    expect((await getJson(fx.url, key, '/api/v1/stats')).body).toMatchObject({ conversions: 2, revenue: 0.3 });
  });

  it('group-commits concurrent requests yet reports each its own counts, duplicates across requests included', async () => {
    fx = await startCollector({}, factory);
    const key = await fx.keyFor('shop');
    const items = Array.from({ length: 25 }, () => eventItem(randomUUID(), null, Date.now()));
    const responses = await Promise.all(
      [...items, ...items].map(async (item) => {
        const res = await fetch(`${fx?.url}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ ...item, type: undefined, batch_id: item.id }),
        });
        return {
          status: res.status,
          body: (await res.json()) as { batch_id: string; accepted: number; duplicates: number },
        };
      }),
    );
    expect(responses.every((r) => r.status === 202)).toBe(true);
    expect(responses.reduce((n, r) => n + r.body.accepted, 0)).toBe(25);
    expect(responses.reduce((n, r) => n + r.body.duplicates, 0)).toBe(25);
    expect(responses.map((r) => r.body.batch_id)).toEqual([...items, ...items].map((i) => i.id));
    await fx.collector.worker.drain();
    expect((await getJson(fx.url, key, '/api/v1/stats')).body).toMatchObject({ events: 25 });
  });

  it('reports bad items one by one, naming the field, and stores the good ones beside them', async () => {
    fx = await startCollector({}, factory);
    const key = await fx.keyFor('shop');
    const v = randomUUID();
    const good = eventItem(v, null, Date.now());
    const res = await postBatch(fx.url, key, [
      { ...eventItem(v, null, Date.now()), name: '' },
      good,
      { ...eventItem(v, null, Date.now()), timestamp: new Date(Date.now() + 86_400_000).toISOString() },
      { ...conversionItem(v, null, Date.now(), 1), currency: 'euros' },
      { ['__proto__']: { polluted: true }, type: 'event' },
    ]);
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(1);
    const errors = res.body.errors as Array<{ index: number; message: string }>;
    expect(errors.map((e) => e.index)).toEqual([0, 2, 3, 4]);
    expect(errors[0]?.message).toMatch(/items\[0\]\.name/);
    expect(errors[1]?.message).toMatch(/timestamp.*future/);
    expect(errors[2]?.message).toMatch(/currency/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers 400/401/403/404/413 with a JSON error that says what was wrong', async () => {
    fx = await startCollector({ bodyLimitBytes: 4096 }, factory);
    const key = await fx.keyFor('shop');
    const readOnly = await fx.keyFor('shop', ['read']);
    const post = (body: string, auth = key) =>
      fetch(`${fx?.url}/api/v1/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
        body,
      });
    const cases: Array<[Promise<Response>, number, string]> = [
      [post('{"batch_id":'), 400, 'invalid_json'],
      [post(JSON.stringify({ batch_id: 'x', items: [] })), 400, 'invalid_batch'],
      [post('{}', 'tl_test_nope'), 401, 'unknown_key'],
      [
        fetch(`${fx.url}/api/v1/batch`, {
          method: 'POST',
          body: '{}',
          headers: { 'content-type': 'application/json' },
        }),
        401,
        'missing_key',
      ],
      [post('{}', readOnly), 403, 'forbidden'],
      [post(JSON.stringify({ pad: 'x'.repeat(10_000) })), 413, 'body_too_large'],
      [fetch(`${fx.url}/nope`), 404, 'not_found'],
    ];
    for (const [request, status, code] of cases) {
      const res = await request;
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect([res.status, body.error.code]).toEqual([status, code]);
      expect(body.error.message.length).toBeGreaterThan(5);
    }
    const batch = await post(JSON.stringify({ batch_id: 'x', items: [] }));
    expect(((await batch.json()) as { error: { message: string } }).error.message).toMatch(/batch_id|items|sent_at/);
  });

  it('answers 503 with Retry-After, never 401, until its key cache is loaded', async () => {
    const { openSqliteStorage } = await import('@touchline/storage');
    const { createCollector } = await import('./create-collector.js');
    const collector = createCollector({ storage: openSqliteStorage({ path: ':memory:' }), settings: { port: 0 } });
    const res = await collector.app.inject({
      method: 'POST',
      url: '/api/v1/batch',
      headers: { authorization: 'Bearer tl_live_whatever', 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect((await collector.app.inject({ url: '/readyz' })).statusCode).toBe(503);
    expect((await collector.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    await collector.app.close();
  });

  it("never lets one account's key read or write another account's data", async () => {
    fx = await startCollector({}, factory);
    const a = await fx.keyFor('a');
    const b = await fx.keyFor('b');
    const v = randomUUID();
    const s = randomUUID();
    await postBatch(fx.url, a, [pageview(v, s, Date.now()), conversionItem(v, s, Date.now(), 5)]);
    await postBatch(fx.url, b, [pageview(v, s, Date.now())]); // same ids in another account: separate rows
    await fx.collector.worker.drain();
    expect((await getJson(fx.url, a, '/api/v1/stats')).body).toMatchObject({ sessions: 1, conversions: 1 });
    expect((await getJson(fx.url, b, '/api/v1/stats')).body).toMatchObject({ sessions: 1, conversions: 0, revenue: 0 });
    const other = randomUUID();
    await postBatch(fx.url, a, [pageview(other, randomUUID(), Date.now())]);
    await fx.collector.worker.drain();
    expect((await getJson(fx.url, b, `/api/v1/visitors/${other}`)).status).toBe(404);
    expect((await getJson(fx.url, b, `/api/v1/sessions?visitor_id=${other}`)).body).toEqual({ sessions: [] });
  });

  it('serves OpenAPI and Prometheus metrics with ingest, rejection, inbox depth and lag', async () => {
    fx = await startCollector({ worker: { enabled: false } }, factory);
    const key = await fx.keyFor('shop');
    await postBatch(fx.url, key, [eventItem(randomUUID(), null, Date.now()), { type: 'event' }]);
    const metrics = await (await fetch(`${fx.url}/metrics`)).text();
    expect(metrics).toMatch(/touchline_ingested_items_total\{type="event"\} 1/);
    expect(metrics).toMatch(/touchline_rejected_total\{reason="invalid_item"\} 1/);
    expect(metrics).toMatch(/touchline_inbox_depth 1/);
    expect(metrics).toMatch(/touchline_worker_lag_seconds \d/);
    expect(metrics).toMatch(/touchline_storage_database_bytes \d+/);
    if (factory.dialect === 'sqlite') expect(metrics).toMatch(/touchline_storage_wal_limit_bytes 67108864/);
    const doc = (await (await fetch(`${fx.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/batch', '/api/v1/stats', '/api/v1/sessions', '/api/v1/visitors/{id}']),
    );
  });
});
