// Ad spend end to end on both dialects: CSV and JSON imports (all or nothing, bad rows named by line), re-import replaces, cost/ROAS/CAC beside credit.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { storageFactories } from '../../../storage/src/test-support/storage-factories.js';
import { getJson, postBatch, startCollector, type Fixture } from '../test-support/collector-fixture.js';

let fx: Fixture | null = null;
afterEach(async () => {
  await fx?.close();
  fx = null;
});

const DAY = 86_400_000;
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

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

async function postSpend(url: string, key: string, body: string, type = 'text/csv') {
  const res = await fetch(`${url}/api/v1/spend`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': type },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe.each(await storageFactories(process.env, import.meta.url))('ad spend on $dialect', (factory) => {
  it('imports all rows or none, replaces a re-imported day, and puts cost, ROAS and CAC beside the credit', async () => {
    fx = await startCollector({}, factory);
    const key = await fx.keyFor('shop');
    const now = Date.now();
    const [a, b] = [randomUUID(), randomUUID()];
    expect(
      (
        await postBatch(fx.url, key, [
          landing(
            a,
            now - 3 * DAY,
            'https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=summer&gclid=G1',
            'https://www.google.com/',
          ),
          conversion(a, now - 3 * DAY + 1000, 120.5),
          landing(b, now - 2 * DAY, 'https://shop.example/?utm_source=news&utm_medium=email&utm_campaign=weekly', null),
          conversion(b, now - 2 * DAY + 1000, 30),
        ])
      ).status,
    ).toBe(202);
    await fx.collector.worker.drain();
    const [d3, d2, d1] = [day(now - 3 * DAY), day(now - 2 * DAY), day(now - DAY)];

    const bad = await postSpend(
      fx.url,
      key,
      [
        'date,channel,campaign,amount,currency',
        `${d3},paid_search,summer,40.00,EUR`,
        '2026-02-30,paid_search,summer,1,EUR',
        `${d2},tv,,5,EUR`,
        `${d2},paid_search,summer,1.1234567,EUR`,
        `${d3},paid_search,summer,2,EUR`,
      ].join('\n'),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { line: '3', message: 'date: "2026-02-30" is not a calendar day as YYYY-MM-DD' },
      { line: '4', message: expect.stringMatching(/^channel: "tv" is not one of paid_search, /) },
      { line: '5', message: 'amount: "1.1234567" is not a non-negative decimal with at most 6 decimals' },
      { line: '6', message: 'same date, channel and campaign as line 2' },
    ]);
    const range = `from=${now - 10 * DAY}&to=${now}`;
    expect((await getJson(fx.url, key, `/api/v1/attribution?model=last_touch&${range}`)).body.spend).toBeUndefined();

    const csv = [
      'Date,Channel,Campaign,Amount,Currency',
      `${d3},paid_search,summer,40.10,eur`,
      `${d2},paid_search,summer,10,EUR`,
      `${d1},paid_social,launch,7.25,EUR`,
      `${day(now - 40 * DAY)},paid_search,summer,999,EUR`,
    ].join('\r\n');
    expect(await postSpend(fx.url, key, csv)).toEqual({ status: 200, body: { written: 4, currency: 'EUR' } });
    // Re-importing a day replaces it (idempotent per day, channel and campaign), here through JSON.
    expect(
      (
        await postSpend(
          fx.url,
          key,
          JSON.stringify({
            rows: [{ date: d2, channel: 'paid_search', campaign: 'summer', amount: 9.9, currency: 'EUR' }],
          }),
          'application/json',
        )
      ).body,
    ).toEqual({ written: 1, currency: 'EUR' });

    const byChannel = await getJson(fx.url, key, `/api/v1/attribution?model=last_touch&${range}`);
    expect(byChannel.body.spend).toEqual({ currency: 'EUR', total: 57.25 });
    expect(byChannel.body.channels).toEqual(
      expect.arrayContaining([
        { channel: 'paid_search', conversions: 1, revenue: 120.5, cost: 50, roas: 2.41, cac: 50 },
        { channel: 'email', conversions: 1, revenue: 30 },
        { channel: 'paid_social', conversions: 0, revenue: 0, cost: 7.25, roas: 0, cac: null },
      ]),
    );
    const byCampaign = await getJson(fx.url, key, `/api/v1/attribution?model=last_touch&group_by=campaign&${range}`);
    expect(byCampaign.body.groups).toEqual(
      expect.arrayContaining([
        { group: 'summer', conversions: 1, revenue: 120.5, cost: 50, roas: 2.41, cac: 50 },
        { group: 'weekly', conversions: 1, revenue: 30 },
        { group: 'launch', conversions: 0, revenue: 0, cost: 7.25, roas: 0, cac: null },
      ]),
    );
    const csvOut = await fetch(`${fx.url}/api/v1/attribution?model=last_touch&group_by=campaign&format=csv&${range}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect((await csvOut.text()).split('\r\n')).toEqual(
      expect.arrayContaining([
        'campaign,conversions,revenue,cost,roas,cac',
        'summer,1,120.5,50,2.41,50',
        'weekly,1,30,,,',
      ]),
    );

    const mixed = await postSpend(fx.url, key, `date,channel,amount,currency\n${d1},display,3,USD\n`);
    expect(mixed.status).toBe(400);
    expect(mixed.body.error).toMatchObject({
      code: 'mixed_currencies',
      message: expect.stringMatching(/stored: EUR.*this import has USD; nothing was stored/),
    });
    expect((await getJson(fx.url, key, `/api/v1/attribution?model=last_touch&${range}`)).body.spend).toEqual({
      currency: 'EUR',
      total: 57.25,
    });
  });

  it('needs a key with the ingest scope and a body it can read', async () => {
    fx = await startCollector({}, factory);
    const readOnly = await fx.keyFor('shop', ['read']);
    expect((await postSpend(fx.url, readOnly, 'date,channel,amount,currency\n2026-01-01,email,1,EUR\n')).status).toBe(
      403,
    );
    const key = await fx.keyFor('other');
    const empty = await postSpend(fx.url, key, JSON.stringify({ nope: [] }), 'application/json');
    expect(empty).toMatchObject({
      status: 400,
      body: { errors: [{ line: 'rows', message: 'body must be { "rows": [...] } or text/csv' }] },
    });
    const header = await postSpend(fx.url, key, 'day,channel,cost\n2026-01-01,email,1\n');
    expect(header.body.errors).toEqual([{ line: '1', message: 'header: missing column(s) date, amount, currency' }]);
  });
});
