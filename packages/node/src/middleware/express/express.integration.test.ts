// Slow-app race for the Express adapter, plus mounting and body-parser context checks.
import { createServer } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { describeAdapterRace } from '../test-support/describe-adapter-race.js';
import { listenLocal } from '../test-support/local-server.js';
import { bodyBrowserFrom, markerFrom, RACE_PATH, raceWork } from '../test-support/race-app.js';
import type { StartApp } from '../test-support/race-harness.js';
import { NAVIGATION_HEADERS, SimulatedBrowser } from '../test-support/simulated-browser.js';
import { startTestClient, type TestClient } from '../test-support/test-client.js';
import { touchlineExpress } from './index.js';

/** Touchline first, then the body parser: the handler's context must survive the body's stream events. */
const startExpress: StartApp = (client) => {
  const app = express();
  app.use(touchlineExpress(client));
  app.use(express.json());
  app.all(RACE_PATH, async (req, res) => {
    res.json(
      await raceWork(
        client,
        markerFrom((name) => req.headers[name]),
        bodyBrowserFrom(req.body),
      ),
    );
  });
  return listenLocal(createServer(app));
};

describeAdapterRace('express', startExpress);

describe('express adapter', () => {
  let tc: TestClient | undefined;
  afterEach(async () => {
    await tc?.close();
  });

  it('keeps the mount prefix in the page URL when mounted under a path', async () => {
    tc = await startTestClient();
    const { client } = tc;
    const app = express();
    const shop = express.Router();
    shop.use(touchlineExpress(client));
    shop.get('/item', (_req, res) => {
      res.json({ url: client.current()?.context.url ?? null });
    });
    app.use('/shop', shop);
    const server = await listenLocal(createServer(app));
    try {
      const response = await new SimulatedBrowser('b', server.url).send({
        path: '/shop/item?x=1',
        headers: NAVIGATION_HEADERS,
      });
      expect(JSON.parse(response.body)).toEqual({ url: `${server.url}/shop/item?x=1` });
      expect(response.setCookies.some((c) => c.startsWith('tl_vid='))).toBe(true);
    } finally {
      await server.close();
    }
  });
});
