// Slow-app race for the Fastify plugin, plus app-wide hooks and context after a parsed body.
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { describeAdapterRace } from '../test-support/describe-adapter-race.js';
import type { LocalServer } from '../test-support/local-server.js';
import { bodyBrowserFrom, markerFrom, RACE_PATH, raceWork } from '../test-support/race-app.js';
import type { StartApp } from '../test-support/race-harness.js';
import { NAVIGATION_HEADERS, SimulatedBrowser } from '../test-support/simulated-browser.js';
import { startTestClient, type TestClient } from '../test-support/test-client.js';
import { touchlineFastify } from './index.js';

async function listenFastify(app: ReturnType<typeof Fastify>): Promise<LocalServer> {
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
}

const startFastify: StartApp = async (client) => {
  const app = Fastify();
  await app.register(touchlineFastify(client));
  app.route({
    method: ['GET', 'POST'],
    url: RACE_PATH,
    handler: async (request) =>
      raceWork(
        client,
        markerFrom((name) => request.headers[name]),
        bodyBrowserFrom(request.body),
      ),
  });
  return listenFastify(app);
};

describeAdapterRace('fastify', startFastify);

describe('fastify plugin', () => {
  let tc: TestClient | undefined;
  afterEach(async () => {
    await tc?.close();
  });

  it('applies to routes of sibling plugins (encapsulation skipped) and reaches async handlers after a body and hooks', async () => {
    tc = await startTestClient();
    const { client } = tc;
    const app = Fastify();
    await app.register(touchlineFastify(client));
    await app.register(async (child) => {
      child.addHook('preHandler', async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
      });
      child.post('/child', async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { visitorId: client.current()?.identity.visitorId ?? null };
      });
    });
    const server = await listenFastify(app);
    try {
      const browser = new SimulatedBrowser('b', server.url);
      const response = await browser.send({
        method: 'POST',
        path: '/child',
        body: '{"a":1}',
        headers: { ...NAVIGATION_HEADERS, 'content-type': 'application/json' },
      });
      const { visitorId } = JSON.parse(response.body) as { visitorId: string | null };
      expect(visitorId).not.toBeNull();
      expect(browser.jar.get('tl_vid')).toBe(visitorId);
    } finally {
      await server.close();
    }
  });
});
