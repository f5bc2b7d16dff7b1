// Test-only: one tiny app per adapter, each answering 'app' on every path, so a request that reached the app shows.
import { createServer } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import type { TouchlineClient } from '../../client/create-client.js';
import { touchlineExpress } from '../express/index.js';
import { touchlineFastify } from '../fastify/index.js';
import { withTouchlineFetch } from '../fetch/index.js';
import { touchlineHono } from '../hono/index.js';
import { withTouchline } from '../http/index.js';
import { touchlineKoa } from '../koa/index.js';
import { touchlineNext } from '../next/index.js';
import { listenLocal, serveFetch, serveNode, type LocalServer } from './local-server.js';

/** What every app does: on /buy it records a purchase (inside the request), so tests see handler items too. */
function work(client: TouchlineClient, url: string): string {
  if (url.startsWith('/buy') || (url.includes('://') && new URL(url).pathname === '/buy'))
    client.conversion('purchase', { revenue: 49, currency: 'EUR' });
  return 'app';
}

/** Each app answers 'app' on every path, so a beacon that reached it would show. */
export const ADAPTER_APPS: Record<string, (client: TouchlineClient) => Promise<LocalServer>> = {
  'node:http': (client) =>
    serveNode(
      withTouchline(client, (req, res) => {
        res.end(work(client, req.url ?? '/'));
      }),
    ),
  express: (client) => {
    const app = express();
    app.use(touchlineExpress(client));
    app.use((req, res) => {
      res.send(work(client, req.originalUrl));
    });
    return listenLocal(createServer(app));
  },
  koa: (client) => {
    const app = new Koa();
    app.use(touchlineKoa(client));
    app.use((ctx) => {
      ctx.body = work(client, ctx.originalUrl);
    });
    return listenLocal(createServer(app.callback()));
  },
  fastify: async (client) => {
    const app = Fastify();
    await app.register(touchlineFastify(client));
    app.get('/*', (request) => work(client, request.url));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  },
  hono: (client) => {
    const app = new Hono();
    app.use(touchlineHono(client));
    app.get('*', (c) => c.text(work(client, c.req.url)));
    return serveFetch((request) => app.fetch(request));
  },
  fetch: (client) => serveFetch(withTouchlineFetch(client, (request) => new Response(work(client, request.url)))),
  next: (client) => {
    const middleware = touchlineNext(client, (request) => new Response(work(client, request.url)));
    return serveFetch((request) => middleware(request));
  },
};
