// Attribution API over real ingest: cross-device journeys via identify, model choice, lookback, CSV, errors.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { getJson, postBatch, startCollector, type Fixture } from '../../test-support/collector-fixture.js';
import { storageFactories } from '../../../../storage/src/test-support/storage-factories.js';

let fx: Fixture | null = null;
afterEach(async () => {
  await fx?.close();
  fx = null;
});

const DAY = 86_400_000;
function landing(visitorId: string, at: number, url: string, referrer: string | null) {
  return {
    type: 'pageview',
    id: newId(at),
    timestamp: new Date(at).toISOString(),
    visitor_id: visitorId,
    session_id: randomUUID(),
    context: {
      url,
      referrer,
      user_agent: 'UA',
      ip: null,
      session_start: 'new_visitor',
      utm: Object.fromEntries([...new URL(url).searchParams].filter(([k]) => k.startsWith('utm_'))),
      click_ids: Object.fromEntries([...new URL(url).searchParams].filter(([k]) => !k.startsWith('utm_'))),
    },
  };
}
const identify = (visitorId: string, userId: string, at: number) => ({
  type: 'identify',
  id: newId(at),
  timestamp: new Date(at).toISOString(),
  visitor_id: visitorId,
  session_id: null,
  context: null,
  user_id: userId,
  traits: {},
});
const conversion = (visitorId: string, at: number, revenue: number) => ({
  type: 'conversion',
  id: newId(at),
  timestamp: new Date(at).toISOString(),
  visitor_id: visitorId,
  session_id: null,
  context: null,
  name: 'purchase',
  revenue,
  currency: 'EUR',
  properties: {},
});

describe.each(await storageFactories(process.env, import.meta.url))('attribution API on $dialect', (factory) => {
  it('credits channels across devices linked by identify, per model, as JSON and CSV', async () => {
    fx = await startCollector({}, factory);
    const key = await fx.keyFor('shop');
    const now = Date.now();
    const phone = randomUUID();
    const laptop = randomUUID();
    const buy = conversion(laptop, now - 1000, 100);
    const res = await postBatch(fx.url, key, [
      landing(phone, now - 20 * DAY, 'https://shop.example/?utm_source=newsletter&utm_medium=email', null),
      landing(laptop, now - 1 * DAY, 'https://shop.example/?gclid=abc', 'https://www.google.com/'),
      identify(phone, 'user-1', now - 20 * DAY),
      identify(laptop, 'user-1', now - 2000),
      buy,
    ]);
    expect(res.status).toBe(202);
    await fx.collector.worker.drain();

    const linear = await getJson(fx.url, key, `/api/v1/attribution?model=linear&from=${now - DAY}&to=${now}`);
    expect(linear.status).toBe(200);
    expect(linear.body).toMatchObject({ model: 'linear', lookback_days: 30, conversions: 1, revenue: 100 });
    expect(linear.body.channels).toEqual(
      expect.arrayContaining([
        { channel: 'email', conversions: 0.5, revenue: 50 },
        { channel: 'paid_search', conversions: 0.5, revenue: 50 },
      ]),
    );
    const first = await getJson(fx.url, key, `/api/v1/attribution?model=first_touch&from=${now - DAY}&to=${now}`);
    expect(first.body.channels).toEqual([{ channel: 'email', conversions: 1, revenue: 100 }]);
    const shortLookback = await getJson(
      fx.url,
      key,
      `/api/v1/attribution?model=first_touch&lookback_days=7&from=${now - DAY}&to=${now}`,
    );
    expect(shortLookback.body.channels).toEqual([{ channel: 'paid_search', conversions: 1, revenue: 100 }]);
    for (const model of ['markov', 'shapley', 'time_decay', 'position_based', 'last_non_direct', 'last_touch']) {
      const r = await getJson(fx.url, key, `/api/v1/attribution?model=${model}&from=${now - DAY}&to=${now}`);
      const total = (r.body.channels as Array<{ conversions: number }>).reduce((n, c) => n + c.conversions, 0);
      expect([model, total]).toEqual([model, expect.closeTo(1, 9)]);
    }

    const csv = await fetch(`${fx.url}/api/v1/attribution?model=linear&format=csv&from=${now - DAY}&to=${now}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect((await csv.text()).split('\r\n')).toEqual(
      expect.arrayContaining(['channel,conversions,revenue', 'email,0.5,50', 'paid_search,0.5,50']),
    );

    const journey = await getJson(fx.url, key, `/api/v1/conversions/${buy.id}/journey`);
    expect(journey.body).toMatchObject({ conversion: { id: buy.id, revenue: 100 } });
    expect((journey.body.touchpoints as Array<{ channel: string }>).map((t) => t.channel)).toEqual([
      'email',
      'paid_search',
    ]);
    expect((journey.body.credits as Record<string, unknown>).position_based).toEqual([
      { channel: 'email', credit: 0.5, revenue: 50 },
      { channel: 'paid_search', credit: 0.5, revenue: 50 },
    ]);
  });

  it("rejects unknown models and lookbacks naming the allowed values, and 404s other accounts' conversions", async () => {
    fx = await startCollector({}, factory);
    const a = await fx.keyFor('a');
    const b = await fx.keyFor('b');
    const bad = await getJson(fx.url, a, '/api/v1/attribution?model=magic');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/model: must be one of first_touch/);
    const lookback = await getJson(fx.url, a, '/api/v1/attribution?lookback_days=12');
    expect(JSON.stringify(lookback.body)).toMatch(/lookback_days: must be one of 7, 30, 60, 90/);
    const buy = conversion(randomUUID(), Date.now() - 1000, 5);
    await postBatch(fx.url, a, [buy]);
    await fx.collector.worker.drain();
    expect((await getJson(fx.url, a, `/api/v1/conversions/${buy.id}/journey`)).status).toBe(200);
    expect((await getJson(fx.url, b, `/api/v1/conversions/${buy.id}/journey`)).status).toBe(404);
  });
});
