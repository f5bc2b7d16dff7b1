// Goals and funnels over HTTP on both dialects: CRUD with named validation errors, a report from real ingest (JSON and CSV), scopes, and the model comparison.
import { randomUUID } from 'node:crypto';
import { newId } from '@touchline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { storageFactories } from '../../../../storage/src/test-support/storage-factories.js';
import { getJson, postBatch, startCollector, type Fixture } from '../../test-support/collector-fixture.js';

let fx: Fixture | null = null;
afterEach(async () => {
  await fx?.close();
  fx = null;
});

const MIN = 60_000;
/** The fields these tests read from answers (each present only in some). */
interface Body {
  error: { code: string; message: string };
  goal: { id: string };
  funnel: { id: string } & Record<string, unknown>;
  goals: unknown[];
}
async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${fx!.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? null : JSON.parse(text)) as Body };
}

const ctx = (url: string, referrer: string | null, start: boolean) => ({
  url,
  referrer,
  user_agent: 'UA',
  ip: null,
  session_start: start ? 'new_visitor' : null,
});
const pv = (
  visitor: string,
  session: string,
  at: number,
  url: string,
  referrer: string | null = null,
  start = false,
) => ({
  type: 'pageview',
  id: newId(at),
  timestamp: new Date(at).toISOString(),
  visitor_id: visitor,
  session_id: session,
  context: ctx(url, referrer, start),
});
const ev = (visitor: string, session: string, at: number, name: string) => ({
  type: 'event',
  id: newId(at),
  timestamp: new Date(at).toISOString(),
  visitor_id: visitor,
  session_id: session,
  context: null,
  name,
  properties: {},
});
const buy = (visitor: string, session: string | null, at: number, revenue: number) => ({
  type: 'conversion',
  id: newId(at),
  timestamp: new Date(at).toISOString(),
  visitor_id: visitor,
  session_id: session,
  context: null,
  name: 'purchase',
  revenue,
  currency: 'EUR',
  properties: {},
});

describe.each(await storageFactories(process.env, import.meta.url))(
  'goals, funnels and model comparison over HTTP on $dialect',
  (factory) => {
    it('defines goals and a funnel, refuses bad definitions naming the field, and reports steps by entry channel', async () => {
      fx = await startCollector({}, factory);
      const key = await fx.keyFor('shop');
      const readOnly = await fx.keyFor('shop', ['read']);
      const goal = async (body: unknown) => (await call('POST', '/api/v1/goals', key, body)).body.goal.id;
      const product = await goal({ name: 'Product page', kind: 'pageview', match: '/product/*' });
      const cart = await goal({ name: 'Added to cart', kind: 'event', match: 'add_to_cart' });
      const purchase = await goal({ name: 'Purchase', kind: 'conversion', match: 'purchase' });

      expect(await call('POST', '/api/v1/goals', key, { name: 'x', kind: 'click', match: 'a' })).toMatchObject({
        status: 400,
        body: {
          error: {
            code: 'invalid_body',
            message: expect.stringMatching(/^kind: must be one of pageview, event, conversion/),
          },
        },
      });
      expect(
        (await call('POST', '/api/v1/goals', key, { name: 'x', kind: 'pageview', match: 'product' })).body.error
          .message,
      ).toMatch(/^match: .*starting with '\/'/);
      expect(
        (await call('POST', '/api/v1/goals', key, { name: 'x', kind: 'event', match: 'a', extra: 1 })).body.error
          .message,
      ).toBe('body: unknown field(s) extra');
      expect((await call('POST', '/api/v1/goals', key, { kind: 'event', match: 'a' })).body.error.message).toMatch(
        /^name: is required/,
      );
      expect((await call('POST', '/api/v1/goals', readOnly, { name: 'x', kind: 'event', match: 'a' })).status).toBe(
        403,
      );
      expect((await call('POST', '/api/v1/funnels', key, { name: 'f', steps: [product] })).body.error.message).toBe(
        'steps: a funnel needs at least 2 steps',
      );
      expect(
        (await call('POST', '/api/v1/funnels', key, { name: 'f', steps: [product, 'nope'] })).body.error.message,
      ).toMatch(/^steps\[1\]: no goal nope in this account/);
      expect(
        (await call('POST', '/api/v1/funnels', key, { name: 'f', steps: [product, cart], window: '2w' })).body.error
          .message,
      ).toMatch(/^window: must be minutes, hours or days/);

      const created = await call('POST', '/api/v1/funnels', key, {
        name: 'Shop',
        steps: [product, cart, purchase],
        window: '1h',
      });
      expect(created).toMatchObject({
        status: 201,
        body: { funnel: { name: 'Shop', steps: [product, cart, purchase], window: '1h', window_ms: 3_600_000 } },
      });
      const id = created.body.funnel.id;
      expect((await getJson(fx.url, readOnly, '/api/v1/funnels')).body).toMatchObject({ funnels: [{ id }] });

      const now = Date.now();
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      const [sa, sa2, sb, sc] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      expect(
        (
          await postBatch(fx.url, key, [
            // a: lands from an email on a product page, adds to cart, and buys in a later (direct) session within the hour.
            pv(a, sa, now - 50 * MIN, 'https://shop.example/product/1?utm_source=news&utm_medium=email', null, true),
            ev(a, sa, now - 49 * MIN, 'add_to_cart'),
            pv(a, sa2, now - 20 * MIN, 'https://shop.example/', null, true),
            buy(a, sa2, now - 19 * MIN, 10),
            // b: organic search, product page, adds to cart, buys two hours later: outside the window.
            pv(b, sb, now - 180 * MIN, 'https://shop.example/product/2', 'https://www.google.com/', true),
            ev(b, sb, now - 179 * MIN, 'add_to_cart'),
            buy(b, sb, now - 60 * MIN, 5),
            // c: adds to cart before seeing a product: out of order, so only step 1 (its product view) counts.
            pv(c, sc, now - 30 * MIN, 'https://shop.example/cart', 'https://www.google.com/', true),
            ev(c, sc, now - 29 * MIN, 'add_to_cart'),
            pv(c, sc, now - 28 * MIN, 'https://shop.example/product/3'),
          ])
        ).body,
      ).toMatchObject({ accepted: 10, errors: [] });
      await fx.collector.worker.drain();

      const range = `from=${new Date(now - 5 * 60 * MIN).toISOString()}&to=${new Date(now).toISOString()}`;
      const report = await getJson(fx.url, readOnly, `/api/v1/funnels/${id}/report?${range}`);
      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({
        funnel: { id, name: 'Shop', window: '1h' },
        unit: 'visitor',
        truncated: false,
        steps: [
          {
            step: 1,
            goal: { id: product, name: 'Product page', kind: 'pageview', match: '/product/*' },
            count: 3,
            conversion_rate: 1,
            step_rate: null,
          },
          { step: 2, goal: { id: cart }, count: 2, conversion_rate: 0.6667, step_rate: 0.6667 },
          { step: 3, goal: { id: purchase }, count: 1, conversion_rate: 0.3333, step_rate: 0.5 },
        ],
        channels: [
          { channel: 'organic_search', counts: [2, 1, 0] },
          { channel: 'email', counts: [1, 1, 1] },
        ],
      });
      // Session level: a's purchase was in another session, so nobody completes.
      const sessions = await getJson(fx.url, readOnly, `/api/v1/funnels/${id}/report?${range}&unit=session`);
      expect((sessions.body.steps as Array<{ count: number }>).map((s) => s.count)).toEqual([3, 2, 0]);
      const csv = await fetch(`${fx.url}/api/v1/funnels/${id}/report?${range}&format=csv`, {
        headers: { authorization: `Bearer ${readOnly}` },
      });
      expect(csv.headers.get('content-disposition')).toMatch(new RegExp(`funnel-${id}\\.csv`));
      expect((await csv.text()).split('\r\n').filter(Boolean)).toEqual([
        'channel,step,goal,count,conversion_rate,step_rate',
        'all,1,Product page,3,1,',
        'all,2,Added to cart,2,0.6667,0.6667',
        'all,3,Purchase,1,0.3333,0.5',
        'organic_search,1,Product page,2,1,',
        'organic_search,2,Added to cart,1,0.5,0.5',
        'organic_search,3,Purchase,0,0,0',
        'email,1,Product page,1,1,',
        'email,2,Added to cart,1,1,1',
        'email,3,Purchase,1,1,1',
      ]);
      expect((await call('GET', `/api/v1/funnels/${id}/report?unit=person`, key)).body.error).toEqual({
        code: 'invalid_query',
        message: 'unit: must be one of visitor, session',
      });
      expect((await getJson(fx.url, key, '/api/v1/funnels/nope/report')).status).toBe(404);

      // Another account sees none of it.
      const other = await fx.keyFor('other');
      expect((await getJson(fx.url, other, `/api/v1/funnels/${id}/report`)).status).toBe(404);
      expect((await call('DELETE', `/api/v1/goals/${product}`, other)).status).toBe(404);

      // Replace, then delete: a goal in use is refused with the funnel named.
      expect(
        (await call('PUT', `/api/v1/funnels/${id}`, key, { name: 'Shop 2', steps: [product, purchase] })).body.funnel,
      ).toMatchObject({ name: 'Shop 2', window: '7d', steps: [product, purchase] });
      expect((await call('PUT', '/api/v1/goals/nope', key, { name: 'x', kind: 'event', match: 'a' })).status).toBe(404);
      expect(await call('DELETE', `/api/v1/goals/${product}`, key)).toMatchObject({
        status: 409,
        body: { error: { code: 'goal_in_use', message: expect.stringContaining(id) } },
      });
      expect((await call('DELETE', `/api/v1/funnels/${id}`, key)).status).toBe(204);
      expect((await call('DELETE', `/api/v1/goals/${product}`, key)).status).toBe(204);
      expect((await getJson(fx.url, key, '/api/v1/goals')).body.goals).toHaveLength(2);
    });

    it('compares all eight models side by side over the same journeys, with explanations, as JSON and CSV', async () => {
      fx = await startCollector({}, factory);
      const key = await fx.keyFor('shop');
      const now = Date.now();
      const a = randomUUID();
      const [s1, s2] = [randomUUID(), randomUUID()];
      await postBatch(fx.url, key, [
        pv(a, s1, now - 3 * 86_400_000, 'https://shop.example/?utm_source=news&utm_medium=email', null, true),
        pv(a, s2, now - 86_400_000, 'https://shop.example/', 'https://www.google.com/', true),
        buy(a, s2, now - 86_400_000 + 1000, 30),
      ]);
      await fx.collector.worker.drain();
      const range = `from=${now - 10 * 86_400_000}&to=${now}`;
      const res = await getJson(fx.url, key, `/api/v1/attribution/compare?${range}`);
      expect(res.status).toBe(200);
      const models = res.body.models as Array<{ model: string; explanation: string }>;
      expect(models.map((m) => m.model)).toEqual([
        'first_touch',
        'last_touch',
        'last_non_direct',
        'linear',
        'time_decay',
        'position_based',
        'markov',
        'shapley',
      ]);
      expect(models.every((m) => m.explanation.length > 20)).toBe(true);
      const groups = Object.fromEntries(
        (
          res.body.groups as Array<{ group: string; credit: Record<string, { conversions: number; revenue: number }> }>
        ).map((g) => [g.group, g.credit]),
      );
      expect(groups.email?.first_touch).toEqual({ conversions: 1, revenue: 30 });
      expect(groups.organic_search?.first_touch).toEqual({ conversions: 0, revenue: 0 });
      expect(groups.organic_search?.last_touch).toEqual({ conversions: 1, revenue: 30 });
      expect(groups.email?.linear).toEqual({ conversions: 0.5, revenue: 15 });
      for (const m of models)
        expect((groups.email?.[m.model]?.revenue ?? 0) + (groups.organic_search?.[m.model]?.revenue ?? 0)).toBeCloseTo(
          30,
          9,
        );
      const csv = await fetch(`${fx.url}/api/v1/attribution/compare?${range}&format=csv&group_by=source`, {
        headers: { authorization: `Bearer ${key}` },
      });
      const lines = (await csv.text()).split('\r\n').filter(Boolean);
      expect(lines[0]).toBe(
        'source,first_touch_conversions,first_touch_revenue,last_touch_conversions,last_touch_revenue,last_non_direct_conversions,last_non_direct_revenue,linear_conversions,linear_revenue,time_decay_conversions,time_decay_revenue,position_based_conversions,position_based_revenue,markov_conversions,markov_revenue,shapley_conversions,shapley_revenue',
      );
      expect(lines.find((l) => l.startsWith('news,'))).toMatch(/^news,1,30,0,0,0,0,0\.5,15,/);
      expect((await call('GET', '/api/v1/attribution/compare?group_by=colour', key)).body.error.message).toMatch(
        /^group_by: must be one of/,
      );
    });
  },
);
