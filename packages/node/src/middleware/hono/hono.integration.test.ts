// Slow-app race for the Hono adapter, plus remote address and immutable-response checks.
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { describeAdapterRace } from '../test-support/describe-adapter-race.js';
import { serveFetch, type NodeBindings } from '../test-support/local-server.js';
import { bodyBrowserFrom, markerFrom, RACE_PATH, raceWork } from '../test-support/race-app.js';
import type { StartApp } from '../test-support/race-harness.js';
import { NAVIGATION_HEADERS, SimulatedBrowser } from '../test-support/simulated-browser.js';
import { startTestClient, type TestClient } from '../test-support/test-client.js';
import { touchlineHono } from './index.js';

const startHono: StartApp = (client) => {
  const app = new Hono<{ Bindings: NodeBindings }>();
  app.use(touchlineHono(client));
  app.on(['GET', 'POST'], RACE_PATH, async (c) => {
    const parsed: unknown = c.req.method === 'POST' ? await c.req.json() : null;
    return c.json(
      await raceWork(
        client,
        markerFrom((name) => c.req.header(name)),
        bodyBrowserFrom(parsed),
      ),
    );
  });
  return serveFetch((request, env) => app.fetch(request, env));
};

describeAdapterRace('hono', startHono);

describe('hono adapter', () => {
  let tc: TestClient | undefined;
  afterEach(async () => {
    await tc?.close();
  });

  it('reads the peer address from the @hono/node-server bindings, and works without them', async () => {
    tc = await startTestClient();
    const { client } = tc;
    const app = new Hono<{ Bindings: NodeBindings }>();
    app.use(touchlineHono(client));
    app.get('/ip', (c) => c.json({ ip: client.current()?.context.ip ?? null }));
    const server = await serveFetch((request, env) => app.fetch(request, env));
    try {
      const response = await new SimulatedBrowser('b', server.url).send({ path: '/ip', headers: NAVIGATION_HEADERS });
      expect(JSON.parse(response.body)).toEqual({ ip: '127.0.0.1' });
    } finally {
      await server.close();
    }
    const bare = await app.request('/ip', { headers: NAVIGATION_HEADERS });
    expect(await bare.json()).toEqual({ ip: null });
  });

  it('appends the cookies to an immutable Response returned by the handler, without throwing', async () => {
    tc = await startTestClient();
    const { client } = tc;
    const app = new Hono();
    app.use(touchlineHono(client));
    app.get('/go', () => Response.redirect('http://127.0.0.1/elsewhere', 302));
    const response = await app.request('/go', { headers: NAVIGATION_HEADERS });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://127.0.0.1/elsewhere');
    expect(response.headers.getSetCookie().filter((c) => c.startsWith('tl_vid='))).toHaveLength(1);
    expect(tc.errors).toEqual([]);
  });
});
