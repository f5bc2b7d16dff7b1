// Benchmark app: a minimal node:http server, bare, wrapped with the Touchline middleware, or with the floor middleware.
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import { createClient } from '@touchline/node';
import { withTouchline } from '@touchline/node/http';

const [mode = 'bare', sinkUrl = 'http://127.0.0.1:1'] = process.argv.slice(2);

const body = '<!doctype html><title>hello</title><p>hello world</p>';
const handler = (req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

let app = handler;
let client = null;
if (mode === 'sdk') {
  client = createClient({ apiKey: 'bench', endpoint: sinkUrl, maxQueueItems: 200_000, batch: { maxItems: 500 }, trackPageviews: process.env.BENCH_NO_PAGEVIEWS !== '1' });
  app = withTouchline(client, handler);
}

/**
 * The floor: the least any middleware with AsyncLocalStorage request context and one cookie
 * write can cost (a per-request store, ALS.run around the handler, one Set-Cookie header).
 * The SDK cannot go below it, so the bench reports the SDK against it as well as against bare.
 */
if (mode === 'floor') {
  const storage = new AsyncLocalStorage();
  const cookie = 'tl_act=1; Max-Age=1800; Path=/; HttpOnly; SameSite=Lax';
  app = (req, res) => {
    res.setHeader('set-cookie', cookie);
    return storage.run({ req, res }, handler, req, res);
  };
}

let requests = 0;
const counted = (req, res) => { requests += 1; return app(req, res); };
const server = http.createServer(counted);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});
let cpuStart = process.cpuUsage();
process.on('SIGINT', () => process.exit(0));
process.on('message', async (msg) => {
  if (msg === 'reset') {
    requests = 0;
    cpuStart = process.cpuUsage();
    process.send?.({ reset: true });
  }
  if (msg === 'stats') {
    if (client) await client.flush({ timeoutMs: 10_000 });
    const cpu = process.cpuUsage(cpuStart);
    process.send?.({ stats: client ? client.stats() : null, cpuMicrosPerRequest: (cpu.user + cpu.system) / Math.max(1, requests) });
  }
});
