// Conversion uploads end to end on both dialects: real ingest, a real collector, and a local stand-in for Google Ads and Meta that validates payloads strictly.
import { randomUUID } from 'node:crypto';
import { newId } from '@touchline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { storageFactories } from '../../../storage/src/test-support/storage-factories.js';
import { startAdPlatformStandIn, type AdPlatformStandIn } from '../test-support/ad-platform-stand-in.js';
import { postBatch, startCollector, type Fixture } from '../test-support/collector-fixture.js';
import { waitUntil } from '../test-support/wait-until.js';
import { sha256Hex } from './user-data.js';

let fx: Fixture | null = null;
let platform: AdPlatformStandIn | null = null;
afterEach(async () => {
  await fx?.close();
  await platform?.close();
  fx = null;
  platform = null;
});

interface Body {
  error: { code: string; message: string };
  destination: { id: string } & Record<string, unknown>;
  deliveries: Array<Record<string, unknown>>;
}
async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${fx!.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    headers: res.headers,
    body: (text === '' || !text.startsWith('{') ? null : JSON.parse(text)) as Body,
  };
}

/** A landing pageview whose URL carries `query` (gclid=..., fbclid=...): the collector reads the click ids from it. */
const landing = (visitor: string, session: string, at: number, query: string) => ({
  type: 'pageview',
  id: newId(at),
  timestamp: new Date(at).toISOString(),
  visitor_id: visitor,
  session_id: session,
  context: {
    url: `https://shop.example/landing?${query}`,
    referrer: null,
    user_agent: 'UA',
    ip: null,
    session_start: 'new_visitor',
  },
});
const conversion = (
  visitor: string,
  session: string | null,
  at: number,
  revenue: number | null,
  properties: Record<string, unknown> = {},
  name = 'purchase',
) => ({
  type: 'conversion',
  id: newId(at),
  timestamp: new Date(at).toISOString(),
  visitor_id: visitor,
  session_id: session,
  context: null,
  name,
  revenue,
  currency: revenue === null ? null : 'EUR',
  properties,
});

const google = (p: AdPlatformStandIn, extra: Record<string, unknown> = {}) => ({
  name: 'Google Ads',
  platform: 'google_ads',
  endpoint_url: p.googleUrl,
  token: 'google-token',
  developer_token: 'dev-token',
  conversion_action: 'customers/1234567890/conversionActions/555',
  conversion_types: ['purchase'],
  ...extra,
});
const meta = (p: AdPlatformStandIn, extra: Record<string, unknown> = {}) => ({
  name: 'Meta',
  platform: 'meta',
  endpoint_url: p.metaUrl,
  token: 'meta-token',
  conversion_types: ['purchase'],
  ...extra,
});
/** Uploads run by hand in these tests (no timer), with no settling delay and retries due at once. */
// Conversions are timed after the destination was created: a destination sends what happens from then on.
const SETTINGS = {
  uploads: { enabled: false, settleMs: 0, backoffMs: 1, maxBackoffMs: 1, maxAttempts: 3, timeoutMs: 2000 },
};

async function setUp(factory: Parameters<typeof startCollector>[1], settings: Record<string, unknown> = SETTINGS) {
  platform = await startAdPlatformStandIn();
  fx = await startCollector(settings, factory);
  return { p: platform, f: fx, key: await fx.keyFor('shop') };
}

async function ingest(f: Fixture, key: string, items: unknown[]) {
  expect((await postBatch(f.url, key, items)).status).toBe(202);
  await f.collector.worker.drain();
}

const log = async (key: string, id: string, query = '') =>
  (await call('GET', `/api/v1/conversion-uploads/${id}/deliveries${query}`, key)).body.deliveries;

describe.each(await storageFactories(process.env, import.meta.url))('conversion uploads on $dialect', (factory) => {
  it('sends nothing until a destination is configured and enabled, then Google ClickConversions in the documented shape', async () => {
    const { p, f, key } = await setUp(factory);
    await f.collector.uploads.runPass();
    const created = await call('POST', '/api/v1/conversion-uploads', key, google(p));
    expect(created.status).toBe(201);
    const id = created.body.destination.id;
    // The token is never echoed back in full.
    expect(created.body.destination).toMatchObject({
      token: '…oken',
      developer_token: '…oken',
      enabled: false,
      endpoint_url: p.googleUrl,
    });
    expect(created.text).not.toContain('google-token');

    const now = Date.now();
    const [v1, s1, v2, s2] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const paid = conversion(v1, s1, now, 19.99);
    const organic = conversion(v2, s2, now, 5);
    await ingest(f, key, [
      landing(v1, s1, now - 60_000, 'gclid=Cj0KCQ-test_1'),
      paid,
      landing(v2, s2, now - 60_000, 'utm_source=x'),
      organic,
      conversion(v1, s1, now, 1, {}, 'signup'),
    ]);
    await f.collector.uploads.runPass();
    expect(p.received).toEqual([]); // configured but not enabled: nothing read, queued or sent
    expect(await log(key, id)).toEqual([]);

    // Enabling keeps the stored secrets when they are left out.
    const withoutSecrets: Record<string, unknown> = google(p, { enabled: true });
    delete withoutSecrets.token;
    delete withoutSecrets.developer_token;
    expect((await call('PUT', `/api/v1/conversion-uploads/${id}`, key, withoutSecrets)).status).toBe(200);
    await f.collector.uploads.runPass();
    expect(p.received).toHaveLength(1);
    const [request] = p.received;
    expect(request?.problems).toEqual([]);
    expect(request?.body).toEqual({
      conversions: [
        {
          gclid: 'Cj0KCQ-test_1',
          conversionAction: 'customers/1234567890/conversionActions/555',
          conversionDateTime: `${new Date(now).toISOString().slice(0, 19).replace('T', ' ')}+00:00`,
          conversionValue: 19.99,
          currencyCode: 'EUR',
          orderId: paid.id,
        },
      ],
      partialFailure: true,
    });
    // The organic conversion has no gclid: logged as skipped with the reason, never sent; other types are not looked at.
    const rows = await log(key, id);
    expect(rows.map((r) => [r.conversion_id, r.status])).toEqual(
      expect.arrayContaining([
        [paid.id, 'delivered'],
        [organic.id, 'skipped'],
      ]),
    );
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.status === 'skipped')).toMatchObject({
      last_error: 'no gclid in the journey (user data sending is off)',
      attempts: 0,
      payload: null,
    });
    expect(rows.find((r) => r.status === 'delivered')).toMatchObject({
      attempts: 1,
      response_code: 200,
      last_error: null,
    });
    // A second pass sends nothing again.
    await f.collector.uploads.runPass();
    expect(p.received).toHaveLength(1);
    expect((await call('GET', `/api/v1/conversion-uploads/${id}`, key)).body.destination).toMatchObject({
      deliveries: { delivered: 1, skipped: 1, pending: 0, failed: 0 },
    });
  });

  it('sends Meta events with event_id, fbc from the fbclid and, when turned on, hashed email and phone', async () => {
    const { p, f, key } = await setUp(factory);
    const id = (await call('POST', '/api/v1/conversion-uploads', key, meta(p, { enabled: true, send_user_data: true })))
      .body.destination.id;
    const now = Date.now();
    const [v1, s1, v2, s2, v3, s3] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ];
    const landedAt = now - 120_000;
    const clicked = conversion(v1, s1, now, 1234567.5, {
      email: '  John_Smith@gmail.com ',
      url: 'https://shop.example/thanks',
    });
    const identified = conversion(v2, s2, now, null);
    const anonymous = conversion(v3, s3, now, 3);
    await ingest(f, key, [
      landing(v1, s1, landedAt, 'fbclid=IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk'),
      clicked,
      // No click id, but the app identified the person with a phone number: sent on user data alone.
      landing(v2, s2, landedAt, 'utm_source=news'),
      {
        type: 'identify',
        id: newId(now - 5000),
        timestamp: new Date(now - 5000).toISOString(),
        visitor_id: v2,
        session_id: s2,
        context: null,
        user_id: 'u2',
        traits: { phone: '+1 (650) 555-1212' },
      },
      identified,
      landing(v3, s3, landedAt, 'utm_source=news'),
      anonymous,
    ]);
    await f.collector.uploads.runPass();
    expect(p.received).toHaveLength(1);
    expect(p.received[0]?.problems).toEqual([]);
    const events = p.received[0]?.body.data as Array<Record<string, unknown>>;
    const byId = new Map(events.map((e) => [e.event_id, e]));
    expect(byId.get(clicked.id)).toEqual({
      event_name: 'Purchase',
      event_time: Math.floor(now / 1000),
      event_id: clicked.id,
      action_source: 'website',
      event_source_url: 'https://shop.example/thanks',
      user_data: {
        fbc: `fb.1.${landedAt}.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk`,
        // Meta's own example: John_Smith@gmail.com normalizes to john_smith@gmail.com.
        em: ['62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'],
      },
      custom_data: { value: 1234567.5, currency: 'EUR' },
    });
    // Meta's example: (650)555-1212 in the US is 16505551212.
    expect(byId.get(identified.id)).toMatchObject({
      user_data: { ph: ['e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176'] },
    });
    expect(byId.get(identified.id)).not.toHaveProperty('custom_data');
    expect(byId.has(anonymous.id)).toBe(false);
    expect((await log(key, id, '?status=skipped')).map((r) => [r.conversion_id, r.last_error])).toEqual([
      [anonymous.id, 'no fbclid in the journey and no email or phone to send'],
    ]);
    expect(sha256Hex('john_smith@gmail.com')).toBe('62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f');
  });

  it('retries after 5xx and Retry-After with the same payload and ids, gives up on 4xx, and survives a stalled endpoint', async () => {
    const { p, f, key } = await setUp(factory);
    const id = (await call('POST', '/api/v1/conversion-uploads', key, meta(p, { enabled: true }))).body.destination.id;
    const now = Date.now();
    const [v1, s1] = [randomUUID(), randomUUID()];
    const sale = conversion(v1, s1, now, 42);
    await ingest(f, key, [landing(v1, s1, now - 60_000, 'fbclid=abc'), sale]);
    p.forced.push({ status: 503 }, { stallMs: 3000 }, { status: 429, retryAfter: '0' });
    await f.collector.uploads.runPass();
    expect(await log(key, id)).toMatchObject([
      { status: 'pending', attempts: 1, response_code: 503, last_error: 'HTTP 503: forced 503' },
    ]);
    await new Promise((r) => setTimeout(r, 5));
    await f.collector.uploads.runPass(); // the endpoint stalls past timeoutMs: no response, retried
    expect(await log(key, id)).toMatchObject([
      { status: 'pending', attempts: 2, response_code: null, last_error: expect.stringMatching(/^no response/) },
    ]);
    await new Promise((r) => setTimeout(r, 5));
    await f.collector.uploads.runPass(); // 429 on the last allowed attempt: given up
    expect(await log(key, id)).toMatchObject([
      {
        status: 'failed',
        attempts: 3,
        response_code: 429,
        last_error: expect.stringMatching(/^HTTP 429 after 3 attempt\(s\)/),
      },
    ]);
    expect(p.received).toHaveLength(3);
    // Every attempt carried the identical event: same event_id, same event_time (the platform deduplicates on them).
    expect(new Set(p.received.map((r) => JSON.stringify(r.body)))).toEqual(
      new Set([JSON.stringify(p.received[0]?.body)]),
    );
    expect((p.received[0]?.body.data as Array<{ event_id: string }>)[0]?.event_id).toBe(sale.id);

    // A 4xx other than 408/429 is not retried.
    const [v2, s2] = [randomUUID(), randomUUID()];
    const second = conversion(v2, s2, Date.now(), 1);
    await ingest(f, key, [landing(v2, s2, Date.now() - 60_000, 'fbclid=def'), second]);
    p.forced.push({ status: 400, body: { error: { message: 'Invalid parameter' } } });
    await f.collector.uploads.runPass();
    expect((await log(key, id)).find((r) => r.conversion_id === second.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      response_code: 400,
      last_error: 'HTTP 400, not retried: HTTP 400: Invalid parameter',
    });
    await f.collector.uploads.runPass();
    expect(p.received).toHaveLength(4);
  });

  it('marks only the conversions Google names in a partial failure as failed', async () => {
    const { p, f, key } = await setUp(factory);
    const id = (await call('POST', '/api/v1/conversion-uploads', key, google(p, { enabled: true }))).body.destination
      .id;
    const now = Date.now();
    const [v1, s1, v2, s2] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const first = conversion(v1, s1, now, 10);
    const second = conversion(v2, s2, now + 1, 20);
    await ingest(f, key, [
      landing(v1, s1, now - 60_000, 'gclid=g1'),
      first,
      landing(v2, s2, now - 60_000, 'gclid=g2'),
      second,
    ]);
    p.forced.push({
      status: 200,
      body: {
        partialFailureError: {
          code: 3,
          message: 'The click is too old',
          details: [
            {
              errors: [
                {
                  message: 'The click is too old',
                  location: { fieldPathElements: [{ fieldName: 'conversions', index: 1 }, { fieldName: 'gclid' }] },
                },
              ],
            },
          ],
        },
        results: [{}, {}],
      },
    });
    await f.collector.uploads.runPass();
    const rows = await log(key, id);
    expect(rows.find((r) => r.conversion_id === first.id)).toMatchObject({ status: 'delivered' });
    expect(rows.find((r) => r.conversion_id === second.id)).toMatchObject({
      status: 'failed',
      last_error: 'partial failure: The click is too old',
    });
  });

  it('refuses bad destinations with messages naming every field, and exports Google CSV and Meta JSON files', async () => {
    const { p, f, key } = await setUp(factory);
    const bad = async (body: unknown) => {
      const r = await call('POST', '/api/v1/conversion-uploads', key, body);
      expect(r.status).toBe(400);
      return r.body.error.message;
    };
    expect(await bad({ ...google(p), platform: 'tiktok' })).toMatch(/^platform: must be one of google_ads, meta/);
    expect(await bad({ ...google(p), conversion_action: '555' })).toBe(
      'conversion_action: must be a conversion action resource name, customers/<customer id>/conversionActions/<id>',
    );
    expect(await bad({ ...google(p), endpoint_url: 'http://ads.example/upload', conversion_types: [] })).toBe(
      'endpoint_url: must use https (plain http is allowed only to localhost, 127.0.0.1 or [::1]); conversion_types: name at least one conversion type',
    );
    expect(await bad({ ...google(p), pixel_id: '1' })).toBe('pixel_id: is for platform meta, not google_ads');
    expect(await bad({ ...meta(p), endpoint_url: undefined })).toBe(
      'pixel_id: is required for meta (or give endpoint_url)',
    );
    expect(await bad({ ...google(p), token: undefined })).toBe('token: is required (the OAuth access token)');
    expect(await bad({ ...google(p), developer_token: undefined })).toBe(
      'developer_token: is required for google_ads (your Google Ads API developer token)',
    );
    expect(await bad({ ...meta(p), colour: 'red' })).toBe('body: unknown field(s) colour');
    expect(await bad({ ...meta(p), token: 'abc\ndef' })).toBe(
      'token: must be printable ASCII without spaces (paste the token alone)',
    );
    expect(await bad({ ...meta(p), enabled: 'yes' })).toBe('enabled: must be true or false');
    const readOnly = await f.keyFor('shop', ['read']);
    expect((await call('POST', '/api/v1/conversion-uploads', readOnly, meta(p))).status).toBe(403);
    // Without endpoint_url, the platform's documented endpoint.
    expect(
      (
        await call('POST', '/api/v1/conversion-uploads', key, {
          ...meta(p),
          endpoint_url: undefined,
          pixel_id: '998877',
        })
      ).body.destination.endpoint_url,
    ).toBe('https://graph.facebook.com/v25.0/998877/events');

    const g = (await call('POST', '/api/v1/conversion-uploads', key, google(p))).body.destination.id;
    const m = (await call('POST', '/api/v1/conversion-uploads', key, meta(p))).body.destination.id;
    const now = Date.now();
    const [v1, s1] = [randomUUID(), randomUUID()];
    const sale = conversion(v1, s1, now, 0.3);
    await ingest(f, key, [landing(v1, s1, now - 60_000, 'gclid=G-1&fbclid=F-1'), sale]);
    const csv = await call('GET', `/api/v1/conversion-uploads/${g}/export?from=0&conversion_name=Website%20sale`, key);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text).toBe(
      `Parameters:TimeZone=+0000\r\nGoogle Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency\r\nG-1,Website sale,${new Date(now).toISOString().slice(0, 19).replace('T', ' ')},0.3,EUR\r\n`,
    );
    const json = JSON.parse((await call('GET', `/api/v1/conversion-uploads/${m}/export?from=0`, key)).text) as {
      data: Array<Record<string, unknown>>;
    };
    expect(json.data).toEqual([
      expect.objectContaining({
        event_id: sale.id,
        event_name: 'Purchase',
        custom_data: { value: 0.3, currency: 'EUR' },
      }),
    ]);
    expect(
      (await call('GET', `/api/v1/conversion-uploads/${m}/export?from=0&format=xml`, key)).body.error.message,
    ).toBe('query: unknown parameter(s) format');
    expect(p.received).toEqual([]); // exports and disabled destinations send nothing
    expect((await call('DELETE', `/api/v1/conversion-uploads/${m}`, key)).status).toBe(204);
    expect((await call('GET', `/api/v1/conversion-uploads/${m}/deliveries`, key)).status).toBe(404);
  });
});

describe('conversion uploads in the background', () => {
  it('delivers on the collector timer, off the request path, and stops cleanly', async () => {
    const { p, f, key } = await setUp(undefined, { uploads: { intervalMs: 50, settleMs: 0 } });
    const id = (await call('POST', '/api/v1/conversion-uploads', key, google(p, { enabled: true }))).body.destination
      .id;
    const now = Date.now();
    const [v1, s1] = [randomUUID(), randomUUID()];
    await ingest(f, key, [landing(v1, s1, now - 60_000, 'gclid=bg'), conversion(v1, s1, now, 7)]);
    await waitUntil('the conversion is delivered', async () =>
      (await log(key, id)).some((r) => r.status === 'delivered'),
    );
    expect(p.received).toHaveLength(1);
    expect(p.received[0]?.problems).toEqual([]);
    const metrics = await (await fetch(`${f.url}/metrics`)).text();
    expect(metrics).toMatch(/touchline_conversion_uploads_total\{platform="google_ads",outcome="delivered"\} 1/);
  });
});
