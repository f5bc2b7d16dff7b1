// Benchmark app: one minimal node:http server, bare, with the floor middleware, with Touchline, or recording pageviews with a peer SDK (posthog-node, @segment/analytics-node).
// Usage (forked by the benches): node http-app.mjs MODE SINK_URL [HANDLER_CPU_MS]
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { minimalSdk } from './minimal-sdk.mjs';

/** BENCH_SDK_DIR: a folder whose node_modules/@touchline/node is the build to run (peer-sdks.mjs --base); else this repository's. */
const sdkDir = process.env.BENCH_SDK_DIR;
const sdk = (entry, path) =>
  sdkDir ? import(pathToFileURL(`${sdkDir}/node_modules/@touchline/node/dist/${path}`).href) : import(entry);
const { createClient } = await sdk('@touchline/node', 'index.js');
const { withTouchline } = await sdk('@touchline/node/http', 'middleware/http/index.js');

const MODES = ['bare', 'floor', 'minimum', 'sdk', 'touchline', 'posthog', 'segment'];
const [mode = 'bare', sinkUrl = 'http://127.0.0.1:1', cpuMsArg = '0'] = process.argv.slice(2);
const handlerCpuMs = Number(cpuMsArg);
if (!MODES.includes(mode))
  throw new Error(`http-app: unknown mode ${JSON.stringify(mode)}; known: ${MODES.join(', ')}`);
if (!Number.isFinite(handlerCpuMs) || handlerCpuMs < 0)
  throw new Error(`http-app: HANDLER_CPU_MS must be a number >= 0, got ${JSON.stringify(cpuMsArg)}`);

/**
 * Spins until this process has used `ms` more CPU time: the "app that does real work" variant.
 * BENCH_SPIN=clock spins on the monotonic clock instead (no system call per check; preemption
 * counts as spent), to see how much the getrusage calls themselves change the SDK's cost.
 */
function spendCpu(ms) {
  if (process.env.BENCH_SPIN === 'clock') {
    const end = performance.now() + ms;
    while (performance.now() < end);
    return;
  }
  const start = process.cpuUsage();
  const micros = ms * 1000;
  for (;;) {
    const used = process.cpuUsage(start);
    if (used.user + used.system >= micros) return;
  }
}

const body = '<!doctype html><title>hello</title><p>hello world</p>';
function handler(req, res) {
  if (handlerCpuMs > 0) spendCpu(handlerCpuMs);
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

let app = handler;
/** Delivers what is queued and reports the SDK's own counters; null for the modes without one. */
let flushSdk = async () => null;
let recorded = 0;

if (mode === 'sdk') {
  // middleware-overhead.mjs's historical settings (a deeper queue and 500-item batches).
  const client = createClient({
    apiKey: 'bench',
    endpoint: sinkUrl,
    maxQueueItems: 200_000,
    batch: { maxItems: 500 },
    trackPageviews: process.env.BENCH_NO_PAGEVIEWS !== '1',
  });
  app = withTouchline(client, handler);
  flushSdk = async () => {
    await client.flush({ timeoutMs: 10_000 });
    return client.stats();
  };
}

if (mode === 'touchline') {
  // Default settings: only the key and the collector's address.
  const client = createClient({ apiKey: 'bench', endpoint: sinkUrl });
  app = withTouchline(client, handler);
  flushSdk = async () => {
    await client.flush({ timeoutMs: 10_000 });
    return client.stats();
  };
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

if (mode === 'minimum') {
  // Not an SDK: the least one doing this job can do (bench/apps/minimal-sdk.mjs), a reference row.
  const minimal = minimalSdk(sinkUrl, handler);
  app = minimal.app;
  flushSdk = async () => {
    await minimal.flush();
    return null;
  };
}

/**
 * What an app using a peer SDK does per request: the peers keep no visitor identity on the
 * server, so the app keeps its own cookie (read, or minted and set on a first visit), and records
 * a pageview for each document request with the page URL, referrer, user agent and client IP.
 */
function peerPageviews(record) {
  return (req, res) => {
    if (req.headers['sec-fetch-dest'] === 'document') {
      let visitor = /(?:^|;\s*)app_vid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      if (visitor === undefined) {
        visitor = randomUUID();
        res.setHeader('set-cookie', `app_vid=${visitor}; Max-Age=31536000; Path=/; HttpOnly; SameSite=Lax`);
      }
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
      record(visitor, url, req);
      recorded += 1;
    }
    return handler(req, res);
  };
}

if (mode === 'posthog') {
  const { PostHog } = await import('posthog-node');
  // Default batching (flushAt 20, flushInterval 10 s, queue of 1000, gzip); only the host points at the sink.
  const posthog = new PostHog('phc_bench', { host: sinkUrl });
  app = peerPageviews((visitor, url, req) => {
    posthog.capture({
      distinctId: visitor,
      event: '$pageview',
      properties: {
        $current_url: url.href,
        $pathname: url.pathname,
        $referrer: req.headers.referer,
        $raw_user_agent: req.headers['user-agent'],
        $ip: req.socket.remoteAddress,
      },
    });
  });
  flushSdk = async () => {
    await posthog.flush();
    return { recorded };
  };
}

if (mode === 'segment') {
  const { Analytics } = await import('@segment/analytics-node');
  // Default batching (15 events or 10 s per batch); only the host points at the sink.
  const analytics = new Analytics({ writeKey: 'bench', host: sinkUrl });
  analytics.on('error', (err) => process.stderr.write(`segment: ${err?.reason ?? err}\n`));
  app = peerPageviews((visitor, url, req) => {
    analytics.page({
      anonymousId: visitor,
      properties: { url: url.href, path: url.pathname, search: url.search, referrer: req.headers.referer },
      context: { ip: req.socket.remoteAddress, userAgent: req.headers['user-agent'] },
    });
  });
  flushSdk = async () => {
    await analytics.flush({ timeout: 30_000 });
    return { recorded };
  };
}

let requests = 0;
let requestsSinceStart = 0;
const counted = (req, res) => {
  requests += 1;
  requestsSinceStart += 1;
  return app(req, res);
};
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
    // Requests the load generator left in flight when it stopped are still being answered: let them
    // finish, so what they record is flushed too and the delivered count can be checked exactly.
    for (let seen = -1; seen !== requestsSinceStart; ) {
      seen = requestsSinceStart;
      await new Promise((r) => setTimeout(r, 50));
    }
    // Delivery of what the measured requests queued is part of their cost: flush before reading the CPU.
    const stats = await flushSdk();
    const cpu = process.cpuUsage(cpuStart);
    process.send?.({ stats, requestsSinceStart, cpuMicrosPerRequest: (cpu.user + cpu.system) / Math.max(1, requests) });
  }
});
