// Benchmark child: one variant's CPU per request, in process, over real IncomingMessage/ServerResponse objects (no sockets).
// Usage (forked by bench/sdk-request-cpu.mjs): node sdk-request-loop.mjs MODE SINK_URL REQUESTS [SDK_DIR]
// SDK_DIR is a folder whose node_modules/@touchline/node is the build to measure (default: this repository's).
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { minimalSdk } from './minimal-sdk.mjs';

const [mode = 'touchline', sinkUrl = 'http://127.0.0.1:1', requestsArg = '100000', sdkDir] = process.argv.slice(2);
const requests = Number(requestsArg);
const root = sdkDir ?? fileURLToPath(new URL('../..', import.meta.url));
const sdk = (path) => import(pathToFileURL(`${root}/node_modules/@touchline/node/dist/${path}`).href);

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const nav = {
  host: '127.0.0.1:3000',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
  accept: 'text/html',
  'user-agent': CHROME,
};
const returning = { ...nav, cookie: 'tl_vid=0190f7c2-0000-7000-8000-000000000001; tl_s1=-; tl_act=1' };
// peer-sdks.mjs's mix: 9 returning-visitor navigations to 1 first visit with a campaign.
const shapes = [
  ...Array.from({ length: 9 }, (_, i) => ({
    url: `/page/${i}?q=1`,
    headers: { ...returning, referer: `http://127.0.0.1/page/${(i + 8) % 9}` },
  })),
  { url: '/landing?utm_source=bench&utm_medium=cpc', headers: { ...nav, referer: 'https://www.google.com/' } },
];
const socket = { remoteAddress: '127.0.0.1' };
const body = '<!doctype html><title>hello</title><p>hello world</p>';
function handler(_req, res) {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) });
}

async function variant() {
  if (mode === 'bare') return { app: handler, flush: async () => {}, queued: () => 0 };
  if (mode === 'floor') {
    const storage = new AsyncLocalStorage();
    const cookie = 'tl_act=1; Max-Age=1800; Path=/; HttpOnly; SameSite=Lax';
    const app = (req, res) => {
      res.setHeader('set-cookie', cookie);
      return storage.run({ req, res }, handler, req, res);
    };
    return { app, flush: async () => {}, queued: () => 0 };
  }
  if (mode === 'minimum') return minimalSdk(sinkUrl, handler);
  if (mode !== 'touchline') throw new Error(`sdk-request-loop: unknown mode ${JSON.stringify(mode)}`);
  const { createClient } = await sdk('index.js');
  const { withTouchline } = await sdk('middleware/http/index.js');
  const client = createClient({ apiKey: 'bench', endpoint: sinkUrl });
  return {
    app: withTouchline(client, handler),
    flush: () => client.flush({ timeoutMs: 10_000 }),
    queued: () => client.stats().queued,
  };
}

const { app, flush, queued } = await variant();
function one(i) {
  const shape = shapes[i % shapes.length];
  const req = new http.IncomingMessage(socket);
  Object.assign(req, {
    method: 'GET',
    url: shape.url,
    headers: shape.headers,
    httpVersionMajor: 1,
    httpVersionMinor: 1,
  });
  app(req, new http.ServerResponse(req));
}
/** Lets delivery run every 500 requests, and waits (idle, no CPU) while more than 2,000 items queue: none is dropped. */
async function pace() {
  await new Promise((r) => setImmediate(r));
  while (queued() > 2000) await new Promise((r) => setTimeout(r, 1));
}
async function run(n) {
  for (let i = 0; i < n; i++) {
    one(i);
    if (i % 500 === 499) await pace();
  }
  await flush();
}
await run(20_000); // warm-up
const start = process.cpuUsage();
await run(requests);
const cpu = process.cpuUsage(start);
process.send?.({ cpuMicrosPerRequest: (cpu.user + cpu.system) / requests });
process.exit(0);
