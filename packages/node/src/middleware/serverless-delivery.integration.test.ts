// With `serverless` settings every adapter delivers a request's items before its response completes, or hands that delivery to waitUntil.
import { afterEach, describe, expect, it } from 'vitest';
import { ADAPTER_APPS } from './test-support/adapter-apps.js';
import type { LocalServer } from './test-support/local-server.js';
import { NAVIGATION_HEADERS, SimulatedBrowser } from './test-support/simulated-browser.js';
import { startTestClient, type TestClient } from './test-support/test-client.js';

/** Longer than any test: only the serverless path can have delivered by the time it looks. */
const NEVER = { flushIntervalMs: 600_000 };

describe.each(Object.keys(ADAPTER_APPS))('serverless delivery through %s', (name) => {
  let tc: TestClient | undefined;
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    await tc?.close();
  });
  const start = async (settings: Parameters<typeof startTestClient>[0]): Promise<SimulatedBrowser> => {
    tc = await startTestClient(settings);
    server = await (ADAPTER_APPS[name] as (c: TestClient['client']) => Promise<LocalServer>)(tc.client);
    return new SimulatedBrowser('b', server.url);
  };

  it("holds the response until the pageview and the handler's purchase are delivered", async () => {
    const browser = await start({ serverless: {}, batch: NEVER });
    const response = await browser.send({ path: '/buy', headers: NAVIGATION_HEADERS });
    expect(response).toMatchObject({ status: 200, body: 'app' });
    // No flush() here: what the collector has now, it had before the response completed.
    expect(tc?.stub.items().map((i) => i.type)).toEqual(['pageview', 'conversion']);
    expect(tc?.errors).toEqual([]);
  });

  it("hands the delivery to the settings' waitUntil, which settles with the items delivered", async () => {
    const handed: Array<Promise<unknown>> = [];
    const browser = await start({
      serverless: {
        waitUntil: (p) => {
          handed.push(p);
        },
      },
      batch: NEVER,
    });
    expect(await browser.send({ path: '/buy', headers: NAVIGATION_HEADERS })).toMatchObject({
      status: 200,
      body: 'app',
    });
    expect(handed).toHaveLength(1);
    await handed[0];
    expect(tc?.stub.items().map((i) => i.type)).toEqual(['pageview', 'conversion']);
  });

  it("holds a view beacon's 204 until the pageview it stands for is delivered", async () => {
    const browser = await start({ serverless: {}, batch: NEVER });
    const page = `${server?.url ?? ''}/products`;
    const beacon = await browser.send({
      path: `/_touchline/view?u=${encodeURIComponent(page)}&r=`,
      headers: { ...NAVIGATION_HEADERS, accept: '*/*', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' },
    });
    expect(beacon.status).toBe(204);
    expect(tc?.stub.items().map((i) => [i.type, i.context?.url])).toEqual([['pageview', page]]);
  });

  it('without serverless settings, delivers nothing before the batch is due', async () => {
    const browser = await start({ batch: NEVER });
    await browser.send({ path: '/buy', headers: NAVIGATION_HEADERS });
    expect(tc?.stub.items()).toEqual([]);
  });
});
