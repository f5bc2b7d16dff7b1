// The Next.js helper on Web Request objects: which requests mint identity and count as pageviews.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestClient, type TestClient } from '../test-support/test-client.js';
import { touchlineNext, touchlineScope, withTouchline } from './index.js';
import { nextRequestKind, pageUrlOf } from './request-kind.js';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const DOCUMENT = { accept: 'text/html', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', 'user-agent': UA };
/** What the App Router's fetch sends for a client-side navigation. */
const RSC_NAV = {
  rsc: '1',
  'next-router-state-tree': '%5B%22%22%5D',
  'sec-fetch-mode': 'cors',
  'sec-fetch-dest': 'empty',
  'user-agent': UA,
};
const ACTION = {
  'next-action': 'abc123',
  accept: 'text/x-component',
  'sec-fetch-mode': 'cors',
  'sec-fetch-dest': 'empty',
  'user-agent': UA,
};

const kindOf = (path: string, headers: Record<string, string>, method = 'GET'): string =>
  nextRequestKind(method, path, (name) => headers[name]);

describe('nextRequestKind', () => {
  it.each([
    ['a document load', '/products', DOCUMENT, 'GET', 'navigation'],
    ['an RSC client navigation', '/products', RSC_NAV, 'GET', 'navigation'],
    [
      'a router prefetch (Next-Router-Prefetch: 1)',
      '/products',
      { ...RSC_NAV, 'next-router-prefetch': '1' },
      'GET',
      'prefetch',
    ],
    ['a segment prefetch', '/products', { ...RSC_NAV, 'next-router-segment-prefetch': '/_tree' }, 'GET', 'prefetch'],
    ['a browser prefetch (Sec-Purpose)', '/products', { ...DOCUMENT, 'sec-purpose': 'prefetch' }, 'GET', 'prefetch'],
    [
      'a browser prerender (Sec-Purpose)',
      '/products',
      { ...DOCUMENT, 'sec-purpose': 'prefetch;prerender' },
      'GET',
      'prefetch',
    ],
    ['a legacy prefetch (Purpose)', '/products', { ...DOCUMENT, purpose: 'prefetch' }, 'GET', 'prefetch'],
    ['a server action', '/checkout', ACTION, 'POST', 'api'],
    ['a build chunk', '/_next/static/chunks/app.js', { ...DOCUMENT, 'sec-fetch-dest': 'script' }, 'GET', 'asset'],
    ['an /_next/ file even when asked for as a document', '/_next/image', DOCUMENT, 'GET', 'asset'],
    ['a public file', '/logo.png', DOCUMENT, 'GET', 'asset'],
    ['the favicon', '/favicon.ico', DOCUMENT, 'GET', 'asset'],
    [
      'a fetch from the page',
      '/api/cart',
      { 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty', 'user-agent': UA },
      'GET',
      'api',
    ],
  ])('%s', (_name, path, headers, method, kind) => {
    expect(kindOf(path, headers, method)).toBe(kind);
  });

  it('strips only the _rsc cache buster from the page URL', () => {
    expect(pageUrlOf('https://shop.example/products?_rsc=1a2b3')).toBe('https://shop.example/products');
    expect(pageUrlOf('https://shop.example/p?utm_source=x&_rsc=9&b=2')).toBe('https://shop.example/p?utm_source=x&b=2');
    expect(pageUrlOf('https://shop.example/p?q=1')).toBe('https://shop.example/p?q=1');
  });
});

describe('touchlineNext', () => {
  let tc: TestClient | undefined;
  afterEach(async () => {
    await tc?.close();
  });

  const visit = async (url: string, headers: Record<string, string>, method = 'GET'): Promise<Response> => {
    if (tc === undefined) throw new Error('no client');
    return touchlineNext(tc.client)(new Request(url, { method, headers }));
  };
  const pageviews = async (): Promise<string[]> => {
    await tc?.client.flush();
    return (tc?.stub.items() ?? []).filter((i) => i.type === 'pageview').map((i) => i.context?.url ?? '');
  };
  const cookieHeader = (response: Response): string =>
    response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');

  it('mints identity on a document load and continues the request (NextResponse.next())', async () => {
    tc = await startTestClient();
    const response = await visit('https://shop.example/', DOCUMENT);
    expect(response.headers.get('x-middleware-next')).toBe('1');
    expect(response.headers.getSetCookie().some((c) => c.startsWith('tl_vid='))).toBe(true);
    expect(await pageviews()).toEqual(['https://shop.example/']);
  });

  it('with the beacon script off, counts an RSC client navigation as a pageview of the page URL, without _rsc, in the same session', async () => {
    tc = await startTestClient({ beaconScriptPath: false });
    const first = await visit('https://shop.example/', DOCUMENT);
    const cookie = cookieHeader(first);
    await visit('https://shop.example/products?_rsc=x1y2', { ...RSC_NAV, cookie, referer: 'https://shop.example/' });
    await visit('https://shop.example/products?_rsc=x1y2', { ...RSC_NAV, cookie, 'next-router-prefetch': '1' });
    await visit('https://shop.example/about', { ...DOCUMENT, cookie, 'sec-purpose': 'prefetch' });
    await visit('https://shop.example/about', { ...DOCUMENT, cookie, purpose: 'prefetch' });
    await visit('https://shop.example/_next/static/chunks/main.js', {
      ...DOCUMENT,
      cookie,
      'sec-fetch-dest': 'script',
    });
    await visit('https://shop.example/checkout', { ...ACTION, cookie }, 'POST');
    expect(await pageviews()).toEqual(['https://shop.example/', 'https://shop.example/products']);
    expect(new Set(tc.stub.items().map((i) => i.session_id)).size).toBe(1);
  });

  it('with the beacon script on (default), leaves client navigations to the beacon: the RSC fetch only extends the session', async () => {
    tc = await startTestClient();
    const first = await visit('https://shop.example/', DOCUMENT);
    const cookie = cookieHeader(first);
    const rsc = await visit('https://shop.example/products?_rsc=x1y2', {
      ...RSC_NAV,
      cookie,
      referer: 'https://shop.example/',
    });
    expect(rsc.headers.get('x-middleware-next')).toBe('1');
    // What the beacon script sends after the router's pushState: the one pageview of /products.
    const query = `u=${encodeURIComponent('https://shop.example/products')}&r=${encodeURIComponent('https://shop.example/')}`;
    const beacon = await visit(`https://shop.example/_touchline/view?${query}`, { ...RSC_NAV, rsc: '', cookie });
    expect(beacon.status).toBe(204);
    expect(await pageviews()).toEqual(['https://shop.example/', 'https://shop.example/products']);
    expect(new Set(tc.stub.items().map((i) => i.session_id)).size).toBe(1);
  });

  it("hands delivery to the event's waitUntil with serverless settings, and the promise settles delivered", async () => {
    tc = await startTestClient({ serverless: {}, batch: { flushIntervalMs: 60_000 } });
    const handed: Array<Promise<unknown>> = [];
    await touchlineNext(tc.client)(new Request('https://shop.example/', { headers: DOCUMENT }), {
      waitUntil: (p) => {
        handed.push(p);
      },
    });
    expect(handed).toHaveLength(1);
    await handed[0];
    // Delivered by the waitUntil promise itself, not by a later flush or the batch timer.
    expect(tc.stub.items().map((i) => i.type)).toEqual(['pageview']);
  });

  it.each([
    ['a router prefetch', '/products?_rsc=1', { ...RSC_NAV, 'next-router-prefetch': '1' }],
    ['a Sec-Purpose prefetch', '/products', { ...DOCUMENT, 'sec-purpose': 'prefetch' }],
    ['a Purpose prefetch', '/products', { ...DOCUMENT, purpose: 'prefetch' }],
    ['a static file', '/logo.png', DOCUMENT],
    ['an /_next/ file', '/_next/static/css/app.css', DOCUMENT],
    ['a server action', '/checkout', ACTION],
  ])('mints no identity and counts nothing for %s from a browser without cookies', async (_name, path, headers) => {
    tc = await startTestClient();
    const response = await visit(`https://shop.example${path}`, headers, 'next-action' in headers ? 'POST' : 'GET');
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await pageviews()).toEqual([]);
  });

  it('runs your own middleware inside the request scope and keeps its response', async () => {
    tc = await startTestClient();
    const client = tc.client;
    let sameScope = false;
    const middleware = touchlineNext(client, (_request, scope) => {
      sameScope = client.current() === scope;
      return new Response('custom', { status: 299 });
    });
    const response = await middleware(new Request('https://shop.example/', { headers: DOCUMENT }));
    expect(sameScope).toBe(true);
    expect(response.status).toBe(299);
    expect(response.headers.getSetCookie().some((c) => c.startsWith('tl_vid='))).toBe(true);
  });
});

describe('touchlineScope and withTouchline (server actions, route handlers)', () => {
  let tc: TestClient | undefined;
  afterEach(async () => {
    await tc?.close();
  });

  it('credits an action to the visitor and session the middleware gave the browser, without a pageview', async () => {
    tc = await startTestClient();
    const client = tc.client;
    const landing = await touchlineNext(client)(new Request('https://shop.example/checkout', { headers: DOCUMENT }));
    const cookie = landing.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const actionHeaders = new Headers({
      ...ACTION,
      cookie,
      host: 'shop.example',
      referer: 'https://shop.example/checkout',
    });
    await withTouchline(client, actionHeaders, () => {
      client.identify('buyer@example.com');
      client.conversion('purchase', { revenue: 49, currency: 'EUR' });
    });
    const scope = touchlineScope(client, actionHeaders);
    client.event('explicit', {}, { scope });
    await client.flush();
    const items = tc.stub.items();
    expect(items.map((i) => i.type)).toEqual(['pageview', 'identify', 'conversion', 'event']);
    expect(new Set(items.map((i) => i.visitor_id)).size).toBe(1);
    expect(new Set(items.map((i) => i.session_id)).size).toBe(1);
    expect(items[2]?.context?.url).toBe('https://shop.example/checkout');
  });

  it('has no visitor for a browser the middleware never saw (nothing minted outside navigations)', async () => {
    tc = await startTestClient();
    const scope = touchlineScope(tc.client, new Headers({ ...ACTION, host: 'shop.example' }));
    expect(scope.identity.visitorId).toBeNull();
    expect(scope.identity.setCookies).toEqual([]);
  });
});
