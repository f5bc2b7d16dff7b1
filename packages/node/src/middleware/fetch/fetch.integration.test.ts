// Slow-app race for the Web-standard fetch adapter, plus immutable responses and late endSession().
import { afterEach, describe, expect, it } from 'vitest';
import { describeAdapterRace } from '../test-support/describe-adapter-race.js';
import { serveFetch } from '../test-support/local-server.js';
import { bodyBrowserFrom, markerFrom, raceWork } from '../test-support/race-app.js';
import type { StartApp } from '../test-support/race-harness.js';
import { ASSET_HEADERS, NAVIGATION_HEADERS } from '../test-support/simulated-browser.js';
import { startTestClient, type TestClient } from '../test-support/test-client.js';
import { withTouchlineFetch } from './index.js';

const startFetch: StartApp = (client) =>
  serveFetch(
    withTouchlineFetch(client, async (request) => {
      const parsed: unknown = request.method === 'POST' ? await request.json() : null;
      const marker = markerFrom((name) => request.headers.get(name) ?? undefined);
      return Response.json(await raceWork(client, marker, bodyBrowserFrom(parsed)));
    }),
  );

describeAdapterRace('fetch', startFetch);

describe('fetch adapter', () => {
  let tc: TestClient | undefined;
  afterEach(async () => {
    await tc?.close();
  });

  it("with serverless settings, hands delivery to a worker's per-request ctx.waitUntil (third argument)", async () => {
    tc = await startTestClient({ serverless: {}, batch: { flushIntervalMs: 600_000 } });
    const handed: Array<Promise<unknown>> = [];
    const ctx = {
      waitUntil(promise: Promise<unknown>) {
        handed.push(promise);
      },
    };
    const handler = withTouchlineFetch(tc.client, () => new Response('ok'));
    const response = await handler(
      new Request('https://shop.example/', { headers: NAVIGATION_HEADERS }),
      {
        /* env */
      },
      ctx,
    );
    expect(await response.text()).toBe('ok');
    expect(handed).toHaveLength(1);
    await handed[0];
    expect(tc.stub.items().map((i) => i.type)).toEqual(['pageview']);
  });

  it("returns a copy with the cookies when the handler's Response has immutable headers", async () => {
    tc = await startTestClient();
    const redirect = Response.redirect('http://127.0.0.1/elsewhere', 303);
    const handler = withTouchlineFetch(tc.client, () => redirect);
    const response = await handler(new Request('http://127.0.0.1/buy', { headers: NAVIGATION_HEADERS }));
    expect(response).not.toBe(redirect);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('http://127.0.0.1/elsewhere');
    expect(response.headers.getSetCookie().filter((c) => c.startsWith('tl_vid='))).toHaveLength(1);
    expect(redirect.headers.getSetCookie()).toEqual([]);
  });

  it('passes an asset response through untouched', async () => {
    tc = await startTestClient();
    const original = new Response('png');
    const handler = withTouchlineFetch(tc.client, () => original);
    expect(await handler(new Request('http://127.0.0.1/logo.png', { headers: ASSET_HEADERS }))).toBe(original);
  });

  it('reports endSession() called after the response was built instead of losing it silently', async () => {
    tc = await startTestClient();
    const { client } = tc;
    let later: Promise<void> = Promise.resolve();
    const handler = withTouchlineFetch(client, () => {
      later = new Promise((resolve) => setTimeout(resolve, 5)).then(() => client.endSession());
      return new Response('ok');
    });
    const response = await handler(new Request('http://127.0.0.1/', { headers: NAVIGATION_HEADERS }));
    await later;
    expect(response.headers.getSetCookie().some((c) => /^tl_s\d+=/.test(c))).toBe(true);
    expect(tc.errors).toEqual(['headers_sent']);
  });
});
