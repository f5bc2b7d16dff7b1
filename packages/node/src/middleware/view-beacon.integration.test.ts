// Every adapter answers the view beacon itself (204 and identity cookies) and records the pageview it stands for.
import { createServer } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import type { TouchlineClient } from '../client/create-client.js';
import { touchlineExpress } from './express/index.js';
import { touchlineFastify } from './fastify/index.js';
import { withTouchlineFetch } from './fetch/index.js';
import { touchlineHono } from './hono/index.js';
import { withTouchline } from './http/index.js';
import { touchlineKoa } from './koa/index.js';
import { listenLocal, serveFetch, serveNode, type LocalServer } from './test-support/local-server.js';
import { NAVIGATION_HEADERS, SimulatedBrowser } from './test-support/simulated-browser.js';
import { startTestClient, type TestClient } from './test-support/test-client.js';

/** Each app answers 'app' on every path, so a beacon that reached it would show. */
const APPS: Record<string, (client: TouchlineClient) => Promise<LocalServer>> = {
  'node:http': (client) => serveNode(withTouchline(client, (_req, res) => { res.end('app'); })),
  express: (client) => {
    const app = express();
    app.use(touchlineExpress(client));
    app.use((_req, res) => { res.send('app'); });
    return listenLocal(createServer(app));
  },
  koa: (client) => {
    const app = new Koa();
    app.use(touchlineKoa(client));
    app.use((ctx) => { ctx.body = 'app'; });
    return listenLocal(createServer(app.callback()));
  },
  fastify: async (client) => {
    const app = Fastify();
    await app.register(touchlineFastify(client));
    app.get('/*', () => 'app');
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  },
  hono: (client) => {
    const app = new Hono();
    app.use(touchlineHono(client));
    app.get('*', (c) => c.text('app'));
    return serveFetch((request) => app.fetch(request));
  },
  fetch: (client) => serveFetch(withTouchlineFetch(client, () => new Response('app'))),
};

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
    const prefetch = await browser.send({ path: '/sale?utm_source=news', headers: { ...NAVIGATION_HEADERS, 'sec-purpose': 'prefetch' } });
    expect(prefetch).toMatchObject({ status: 200, body: 'app', setCookies: [] });
    const page = `${server.url}/sale?utm_source=news`;
    const query = `u=${encodeURIComponent(page)}&r=${encodeURIComponent('https://www.google.com/')}`;
    const beacon = await browser.send({ path: `/_touchline/view?${query}`, headers: BEACON_HEADERS });
    expect(beacon.status).toBe(204);
    expect(beacon.body).toBe('');
    expect(beacon.setCookies.map((c) => c.split('=')[0]?.replace(/^tl_m.+/, 'tl_m<tag>'))).toEqual(['tl_vid', 'tl_m<tag>', 'tl_s1', 'tl_act']);
    // Another origin's page is no beacon of ours: the request goes to the app like any other.
    const foreign = await browser.send({ path: `/_touchline/view?u=${encodeURIComponent('https://evil.example/')}`, headers: BEACON_HEADERS });
    expect(foreign.body).toBe('app');
    await tc.client.flush();
    expect(tc.stub.items()).toEqual([expect.objectContaining({
      type: 'pageview', visitor_id: browser.jar.get('tl_vid'),
      context: expect.objectContaining({ url: page, referrer: 'https://www.google.com/', utm: { utm_source: 'news' }, session_start: 'new_visitor' }),
    })]);
    expect(tc.errors).toEqual([]);
  });
});
