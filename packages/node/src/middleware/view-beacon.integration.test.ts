// Every adapter answers the view beacon itself (204 and identity cookies) and records the pageview it stands for.
import { afterEach, describe, expect, it } from 'vitest';
import { navigationBeaconScript } from '../client/navigation-beacon.js';
import { ADAPTER_APPS as APPS } from './test-support/adapter-apps.js';
import type { LocalServer } from './test-support/local-server.js';
import type { TouchlineClient } from '../client/create-client.js';
import { NAVIGATION_HEADERS, SimulatedBrowser } from './test-support/simulated-browser.js';
import { startTestClient, type TestClient } from './test-support/test-client.js';

/** What `fetch()` from the page sends: a same-origin API request. */
const BEACON_HEADERS = { ...NAVIGATION_HEADERS, accept: '*/*', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' };

describe.each(Object.keys(APPS))('view beacon through %s', (name) => {
  let tc: TestClient | undefined;
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    await tc?.close();
  });

  it('answers 204 with the identity cookies, never reaches the app, and records the shown page once', async () => {
    tc = await startTestClient();
    server = await (APPS[name] as (c: TouchlineClient) => Promise<LocalServer>)(tc.client);
    const browser = new SimulatedBrowser('b', server.url);
    const prefetch = await browser.send({
      path: '/sale?utm_source=news',
      headers: { ...NAVIGATION_HEADERS, 'sec-purpose': 'prefetch' },
    });
    expect(prefetch).toMatchObject({ status: 200, body: 'app', setCookies: [] });
    const page = `${server.url}/sale?utm_source=news`;
    const query = `u=${encodeURIComponent(page)}&r=${encodeURIComponent('https://www.google.com/')}`;
    const beacon = await browser.send({ path: `/_touchline/view?${query}`, headers: BEACON_HEADERS });
    expect(beacon.status).toBe(204);
    expect(beacon.body).toBe('');
    expect(beacon.setCookies.map((c) => c.split('=')[0]?.replace(/^tl_m.+/, 'tl_m<tag>'))).toEqual([
      'tl_vid',
      'tl_m<tag>',
      'tl_s1',
      'tl_act',
    ]);
    // Another origin's page is no beacon of ours: the request goes to the app like any other.
    const foreign = await browser.send({
      path: `/_touchline/view?u=${encodeURIComponent('https://evil.example/')}`,
      headers: BEACON_HEADERS,
    });
    expect(foreign.body).toBe('app');
    await tc.client.flush();
    expect(tc.stub.items()).toEqual([
      expect.objectContaining({
        type: 'pageview',
        visitor_id: browser.jar.get('tl_vid'),
        context: expect.objectContaining({
          url: page,
          referrer: 'https://www.google.com/',
          utm: { utm_source: 'news' },
          session_start: 'new_visitor',
        }),
      }),
    ]);
    expect(tc.errors).toEqual([]);
  });

  it('serves the navigation beacon script at its path: no identity, no pageview, never the app', async () => {
    tc = await startTestClient();
    server = await (APPS[name] as (c: TouchlineClient) => Promise<LocalServer>)(tc.client);
    const browser = new SimulatedBrowser('b', server.url);
    const script = await browser.send({
      path: '/_touchline/beacon.js',
      headers: { ...NAVIGATION_HEADERS, accept: '*/*', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' },
    });
    expect(script).toMatchObject({ status: 200, body: navigationBeaconScript('/_touchline/view'), setCookies: [] });
    const head = await fetch(`${server.url}/_touchline/beacon.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(head.headers.get('x-content-type-options')).toBe('nosniff');
    // Only the exact path: a neighbour is the app's.
    expect((await browser.send({ path: '/_touchline/beacon.json', headers: NAVIGATION_HEADERS })).body).toBe('app');
    await tc.client.flush();
    expect(
      tc.stub.items().filter((i) => new URL(i.context?.url ?? 'x:/').pathname === '/_touchline/beacon.js'),
    ).toEqual([]);
    expect(tc.errors).toEqual([]);
  });
});
