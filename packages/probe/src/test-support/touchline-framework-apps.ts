// The same echo app on each Touchline framework adapter (Express, Koa, Fastify, Hono), for probe runs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { createClient, type TouchlineClient } from '../../../node/src/client/create-client.js';
import { touchlineExpress } from '../../../node/src/middleware/express/index.js';
import { touchlineFastify } from '../../../node/src/middleware/fastify/index.js';
import { touchlineHono } from '../../../node/src/middleware/hono/index.js';
import { touchlineKoa } from '../../../node/src/middleware/koa/index.js';
import { serveFetch } from '../../../node/src/middleware/test-support/local-server.js';
import { slowStep } from './app-kit.js';
import type { RunningApp } from './serve-app.js';

const newClient = (): TouchlineClient =>
  createClient({ apiKey: 'probe', endpoint: 'http://127.0.0.1:9', trackPageviews: false });

function echo(client: TouchlineClient, user: unknown, path: string) {
  return { visitor: client.current()?.identity.visitorId ?? null, user: user ?? null, path };
}

async function listen(server: http.Server, onClose: () => Promise<void>): Promise<RunningApp> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await onClose();
    },
  };
}

export function serveTouchlineExpressApp(): Promise<RunningApp> {
  const client = newClient();
  const app = express();
  app.use(touchlineExpress(client));
  app.use(async (req, res) => {
    await slowStep();
    res.json(echo(client, req.headers['x-probe-user'], req.path));
  });
  return listen(http.createServer(app), () => client.close({ timeoutMs: 100 }).then(() => {}));
}

export function serveTouchlineKoaApp(): Promise<RunningApp> {
  const client = newClient();
  const app = new Koa();
  app.use(touchlineKoa(client));
  app.use(async (ctx) => {
    await slowStep();
    ctx.body = echo(client, ctx.get('x-probe-user'), ctx.path);
  });
  return listen(http.createServer(app.callback()), () => client.close({ timeoutMs: 100 }).then(() => {}));
}

export async function serveTouchlineFastifyApp(): Promise<RunningApp> {
  const client = newClient();
  const app = Fastify();
  await app.register(touchlineFastify(client));
  app.get('/*', async (request) => {
    await slowStep();
    return echo(client, request.headers['x-probe-user'], request.url.split('?')[0] ?? '/');
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      await app.close();
      await client.close({ timeoutMs: 100 });
    },
  };
}

export async function serveTouchlineHonoApp(): Promise<RunningApp> {
  const client = newClient();
  const app = new Hono();
  app.use(touchlineHono(client));
  app.all('*', async (c) => {
    await slowStep();
    return c.json(echo(client, c.req.header('x-probe-user'), new URL(c.req.url).pathname));
  });
  const server = await serveFetch((request, env) => app.fetch(request, env));
  return {
    url: `${server.url.replace(/\/$/, '')}/`,
    async close() {
      await server.close();
      await client.close({ timeoutMs: 100 });
    },
  };
}
