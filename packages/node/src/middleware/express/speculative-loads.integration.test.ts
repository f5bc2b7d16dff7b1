// Issue 17 item 2: speculative navigations (prefetch, prerender) mint no identity and record nothing, over real HTTP.
import { createServer } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { listenLocal, type LocalServer } from '../test-support/local-server.js';
import { NAVIGATION_HEADERS, SimulatedBrowser } from '../test-support/simulated-browser.js';
import { startTestClient, type TestClient } from '../test-support/test-client.js';
import { touchlineExpress } from './index.js';

/** What Chromium's Speculation Rules and older prefetchers send for a document they may never show. */
const SPECULATIVE: Array<Record<string, string>> = [
  { ...NAVIGATION_HEADERS, 'sec-purpose': 'prefetch' },
  { ...NAVIGATION_HEADERS, 'sec-purpose': 'prefetch;prerender' },
  { ...NAVIGATION_HEADERS, 'sec-purpose': 'prefetch; anonymous-client-ip' },
  { accept: 'text/html', purpose: 'prefetch', 'user-agent': NAVIGATION_HEADERS['user-agent'] as string },
];

describe('speculative loads through the Express adapter', () => {
  let tc: TestClient | undefined;
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    await tc?.close();
  });

  /** A product page whose handler records a view and, on /logout, ends the session. */
  async function start(): Promise<{ url: string; dropped: string[] }> {
    tc = await startTestClient();
    const { client } = tc;
    const dropped: string[] = [];
    client.on('dropped', ({ reason }) => dropped.push(reason));
    const app = express();
    app.use(touchlineExpress(client));
    app.get('/product', (_req, res) => {
      client.event('product_viewed', { sku: 'A1' });
      res.send('<h1>A1</h1>');
    });
    app.get('/logout', (_req, res) => {
      client.endSession();
      res.send('bye');
    });
    server = await listenLocal(createServer(app));
    return { url: server.url, dropped };
  }

  it('a cookieless prefetch or prerender sets no cookie and records nothing; the shown navigation records once', async () => {
    const { url, dropped } = await start();
    const browser = new SimulatedBrowser('b', url);
    for (const headers of SPECULATIVE) {
      const response = await browser.send({ path: '/product', headers });
      expect({ headers, status: response.status, setCookies: response.setCookies }).toEqual({
        headers,
        status: 200,
        setCookies: [],
      });
    }
    const shown = await browser.send({ path: '/product', headers: { ...NAVIGATION_HEADERS } });
    expect(shown.setCookies.length).toBeGreaterThan(0);
    await tc?.client.flush();
    expect(tc?.stub.items().map((i) => i.type)).toEqual(['pageview', 'event']);
    expect(dropped).toEqual(Array(SPECULATIVE.length).fill('speculative'));
    expect(tc?.errors).toEqual([]);
  });

  it("a known visitor's prefetches write no cookie, record no pageview or event, and cannot log out", async () => {
    const { url } = await start();
    const browser = new SimulatedBrowser('b', url);
    await browser.send({ path: '/product', headers: { ...NAVIGATION_HEADERS } });
    const jar = new Map(browser.jar);
    for (const headers of SPECULATIVE) {
      for (const path of ['/product', '/logout']) {
        const response = await browser.send({ path, headers });
        expect({ path, headers, setCookies: response.setCookies }).toEqual({ path, headers, setCookies: [] });
      }
    }
    expect(browser.jar).toEqual(jar);
    await tc?.client.flush();
    const items = tc?.stub.items() ?? [];
    expect(items.map((i) => i.type)).toEqual(['pageview', 'event']);
    // The next real navigation continues the same session: nothing speculative moved it.
    await browser.send({ path: '/product', headers: { ...NAVIGATION_HEADERS } });
    await tc?.client.flush();
    const after = tc?.stub.items() ?? [];
    expect(after.map((i) => i.type)).toEqual(['pageview', 'event', 'pageview', 'event']);
    expect(new Set(after.map((i) => i.session_id)).size).toBe(1);
  });
});
