// Attribution breakdowns (group_by) over real ingest on both dialects: utm dimensions, landing page, click-id platform, CSV, bad values.
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
  const params = [...new URL(url).searchParams];
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
      utm: Object.fromEntries(params.filter(([k]) => k.startsWith('utm_'))),
      click_ids: Object.fromEntries(params.filter(([k]) => !k.startsWith('utm_'))),
    },
  };
}
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

describe.each(await storageFactories(process.env, import.meta.url))('attribution breakdowns on $dialect', (factory) => {
  it('credits campaigns, sources, landing pages and ad platforms under every model, exactly, with a null group for sessions without a value', async () => {
    fx = await startCollector({}, factory);
    const key = await fx.keyFor('shop');
    const now = Date.now();
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const res = await postBatch(fx.url, key, [
      // a: a spring email, then a Google Ads click on the summer campaign, then a direct visit; buys for 100.10.
      landing(
        a,
        now - 10 * DAY,
        'https://shop.example/spring?utm_source=news&utm_medium=email&utm_campaign=spring',
        null,
      ),
      landing(
        a,
        now - 5 * DAY,
        'https://shop.example/shoes?utm_source=google&utm_medium=cpc&utm_campaign=summer&gclid=G1',
        'https://www.google.com/',
      ),
      landing(a, now - 2 * DAY, 'https://shop.example/cart', null),
      conversion(a, now - 2 * DAY + 1000, 100.1),
      // b: a Meta ad of the summer campaign; buys for 0.2.
      landing(
        b,
        now - 3 * DAY,
        'https://shop.example/shoes?utm_source=facebook&utm_medium=paid_social&utm_campaign=summer&fbclid=F1',
        'https://m.facebook.com/',
      ),
      conversion(b, now - 3 * DAY + 1000, 0.2),
      // c: organic search, no campaign; buys for 7.
      landing(c, now - 1 * DAY, 'https://shop.example/boots', 'https://www.bing.com/'),
      conversion(c, now - 1 * DAY + 1000, 7),
    ]);
    expect(res.status).toBe(202);
    await fx.collector.worker.drain();
    const range = `from=${now - 20 * DAY}&to=${now}`;
    const groups = async (query: string) => {
      const r = await getJson(fx!.url, key, `/api/v1/attribution?${query}&${range}`);
      expect(r.status).toBe(200);
      return Object.fromEntries(
        (r.body.groups as Array<{ group: string | null; conversions: number; revenue: number }>).map((g) => [
          String(g.group),
          [g.conversions, g.revenue],
        ]),
      );
    };

    expect(await groups('model=first_touch&group_by=campaign')).toEqual({
      spring: [1, 100.1],
      summer: [1, 0.2],
      null: [1, 7],
    });
    expect(await groups('model=last_touch&group_by=campaign')).toEqual({ null: [2, 107.1], summer: [1, 0.2] });
    // Last non-direct skips a's direct visit, whatever the grouping: its credit goes to the summer click.
    expect(await groups('model=last_non_direct&group_by=source')).toEqual({
      google: [1, 100.1],
      facebook: [1, 0.2],
      null: [1, 7],
    });
    // Linear splits a's 100.10 in three exact parts (33.37 + 33.37 + 33.36 in micro-units: no float noise).
    const linear = await groups('model=linear&group_by=campaign');
    expect(linear).toEqual({
      spring: [expect.closeTo(1 / 3, 9), 33.366667],
      summer: [expect.closeTo(4 / 3, 9), 33.566667],
      null: [expect.closeTo(4 / 3, 9), 40.366666],
    });
    expect(await groups('model=first_touch&group_by=landing_page')).toEqual({
      '/spring': [1, 100.1],
      '/shoes': [1, 0.2],
      '/boots': [1, 7],
    });
    expect(await groups('model=last_non_direct&group_by=click_platform')).toEqual({
      google: [1, 100.1],
      meta: [1, 0.2],
      null: [1, 7],
    });
    expect(await groups('model=first_touch&group_by=medium')).toEqual({
      email: [1, 100.1],
      paid_social: [1, 0.2],
      null: [1, 7],
    });
    // The population models credit (channel, value) pairs; every conversion is still credited once.
    for (const model of ['markov', 'shapley', 'time_decay', 'position_based']) {
      const all = Object.values(await groups(`model=${model}&group_by=campaign`));
      expect([model, all.reduce((n, [conv]) => n + (conv ?? 0), 0)]).toEqual([model, expect.closeTo(3, 9)]);
      expect([model, all.reduce((n, [, rev]) => n + (rev ?? 0), 0)]).toEqual([model, expect.closeTo(107.3, 9)]);
    }
    // Without group_by the answer is by channel, as before, with groups mirroring channels.
    const plain = await getJson(fx.url, key, `/api/v1/attribution?model=first_touch&${range}`);
    expect(plain.body).toMatchObject({
      group_by: 'channel',
      channels: expect.arrayContaining([{ channel: 'email', conversions: 1, revenue: 100.1 }]),
    });

    const csv = await fetch(`${fx.url}/api/v1/attribution?model=first_touch&group_by=campaign&format=csv&${range}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(csv.headers.get('content-disposition')).toMatch(/attribution-first_touch-by-campaign\.csv/);
    expect((await csv.text()).split('\r\n').filter(Boolean)).toEqual([
      'campaign,conversions,revenue',
      'spring,1,100.1',
      ',1,7',
      'summer,1,0.2',
    ]);
  });

  it('rejects an unknown group_by naming the allowed values', async () => {
    fx = await startCollector({}, factory);
    const key = await fx.keyFor('shop');
    const bad = await getJson(fx.url, key, '/api/v1/attribution?group_by=country');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(
      /group_by: must be one of channel, source, medium, campaign, content, term, landing_page, click_platform/,
    );
  });
});
