// Slow-app race for the Koa adapter.
import { createServer } from 'node:http';
import Koa from 'koa';
import { describeAdapterRace } from '../test-support/describe-adapter-race.js';
import { listenLocal } from '../test-support/local-server.js';
import { bodyBrowserFrom, markerFrom, raceWork, readJsonBody } from '../test-support/race-app.js';
import type { StartApp } from '../test-support/race-harness.js';
import { touchlineKoa } from './index.js';

const startKoa: StartApp = (client) => {
  const app = new Koa();
  app.use(touchlineKoa(client));
  app.use(async (ctx) => {
    const parsed = ctx.method === 'POST' ? await readJsonBody(ctx.req) : null;
    ctx.body = await raceWork(
      client,
      markerFrom((name) => ctx.get(name) || undefined),
      bodyBrowserFrom(parsed),
    );
  });
  return listenLocal(createServer(app.callback()));
};

describeAdapterRace('koa', startKoa);
